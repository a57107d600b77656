"""The Django project: settings, URLs and WSGI for the web application (the apps live in
``gongkai.apps``; the core in ``gongkai.core`` knows nothing of Django)."""
