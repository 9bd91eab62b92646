"""gunicorn's settings for the portal's web process (docs/operations.md).

    gunicorn --config deploy/gunicorn.conf.py cluster_portal.wsgi

The portal's own settings come from the environment (the systemd unit's EnvironmentFile);
these three variables tune gunicorn alone:

    GUNICORN_BIND     where to listen (default 127.0.0.1:8000; the proxy connects there)
    GUNICORN_WORKERS  processes (default 2 * cores + 1)
    GUNICORN_THREADS  threads per process (default 4)
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))

# Threaded workers: an export of a million activity rows streams for over a minute. A sync
# worker reports to the master only between requests and would be killed after `timeout`
# seconds; a gthread worker keeps reporting while its threads stream. Each thread that is
# busy holds one database connection: keep DATABASE_POOL_MAX at least this number.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
timeout = 60
# On stop or reload (SIGHUP), requests in progress get this long to finish.
graceful_timeout = 60
keepalive = 5

# Replace each process after 20,000 to 30,000 requests, in case anything leaks memory (none
# measured: bench/README.md, "Worker recycling"). The jitter spreads the restarts: the workers
# start together and share the requests evenly, so a narrow jitter restarts them all at once,
# and a restart's import of Django takes a core for a second or more.
max_requests = 20000
max_requests_jitter = 10000

# X-Forwarded-Proto is believed only from the proxy. Django trusts it too
# (SECURE_PROXY_SSL_HEADER): gunicorn must be reachable from the proxy alone.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No control socket (gunicorn 25.1+ makes one in $HOME for `gunicornc`): two gunicorns of
# one user would share its path; systemctl reload and stop do what the portal needs.
control_socket_disable = True

# Both logs to standard error, which systemd's journal keeps.
accesslog = "-"
errorlog = "-"
loglevel = "info"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'
