"""gunicorn's settings for the back office (``gunicorn config.wsgi -c config/gunicorn.py``).

The access log names the path without its query string: the OAuth callback's ``code`` and
``state`` and any search a merchant typed never reach a log file.
"""

accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)ss'
