"""Tools for testing and measuring Gongkai that are not part of the product: they make test
material (``pictures``: the national tables as pictures, degraded as publishing degrades
them). Nothing in ``gongkai.core`` or the web apps imports this package."""
