"""gunicorn settings read from the project root (gunicorn loads ./gunicorn.conf.py by default).

Command-line options (``make run``, the deployment commands in the README) still set the address
and the workers; this file holds what must hold for every start.
"""

import gunicorn.http.wsgi

# Every response says "Server: gunicorn"; no setting removes it. The header names neither the
# server nor its version, so a scanner learns nothing to match against known flaws. (gunicorn
# writes the module's SERVER into each response; a test starts gunicorn and reads the header.)
gunicorn.http.wsgi.SERVER = "parindex"
