"""The demonstration data: Demoland's areas, partners, strategy, pages, meetings, assessments,
activity reports and bulletins (``seed_demo``), and the large dataset for benchmarks
(``seed_demo --scale``).

It imports the portal's apps and is imported by none of them. Dates are placed relative to
the day the seed runs, so the demo always shows the present.
"""
