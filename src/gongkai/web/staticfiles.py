"""Static files (the stylesheets of the desk and the portal), served by WhiteNoise.

After ``gongkai-manage collectstatic`` (the deployment does it at each upgrade) the pages link
hashed, compressed copies from ``STATIC_ROOT`` that browsers keep for a year. Before it — the
demo, the tests, a first start — the pages link the plain names and WhiteNoise serves them from
the apps' ``static`` folders (``WHITENOISE_USE_FINDERS``): the site never loses its CSS.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def stored_name(self, name: str) -> str:
        try:
            return super().stored_name(name)
        except ValueError:  # not collected yet: the plain name, served from the apps' folders
            return name
