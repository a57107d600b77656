"""The supervising office (政务公开办, 条例 Art. 3–4): the annual reports of every agency of its
region collected in one place — submitted through the system, uploaded, or collected from the
web — read and checked (alone and across years and agencies) by jobs on the task queue, compared
and ranked by visible indicators, and acted on (returned reports, supervision notices, the
region's tables as Excel, the year's bulletin). See ``docs/supervision.md``."""
