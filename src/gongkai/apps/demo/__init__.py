"""The demo county: agencies, staff, letter settings, two years of cases made through the
registry's own services, appeals, reports, catalogue items and the supervising office's reports;
the ``demo`` and ``load_demo`` commands.

Last in the dependency order: it uses every other app and nothing imports it
(``tests/test_layers.py``)."""
