"""Article bodies and the date the Block Kit renderer tests share."""

import datetime as dt

TODAY = dt.date(2026, 11, 24)

GUIDANCE = """If only one adult lives in the property, the bill is reduced by 25 per cent.

## Eligibility <!channel> & more

- Only one adult lives there.
* Students are not counted.


### How to apply ###
Apply online with the date you started living alone.
"""
