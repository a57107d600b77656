"""Django apps of the web application, each one job: ``holidays`` (the working-day calendar that
staff edit) … They build on ``gongkai.core``; the core never imports them."""
