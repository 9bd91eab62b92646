"""Which Hypothesis profile the fuzz runs: "ci" in `make test`, "fuzz" in `make fuzz`."""

import os

PROFILE = os.environ.get("FUZZ_PROFILE", "ci")
# The long run: more examples, and the sizes just past the imports' limits.
DEEP = PROFILE == "fuzz"
