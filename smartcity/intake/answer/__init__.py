"""What the intake says about rows, and what it hands agencies: the verdicts and the workbooks.

- ``reasons``: why a row is rejected or warned about, in English and Bahasa Indonesia (``Reason``);
- ``validation``: a row's cell texts turned into typed values with every reason (``validate_rows``),
  and the readers the other sub-rooms share: of a dimension or SWOT word (``dimension_of``,
  ``swot_of``) and of a written degree value (``degrees_of``, with ``HEMISPHERE_LETTERS``);
- ``feedback``: the agency's feedback workbook (its rows back with their notes, the columns read, the
  sheets passed over; or what made the file unusable), written by :mod:`smartcity.platform.sheetml`;
- ``template``: the blank worksheet agencies fill in.

This sub-room is the floor of the intake: the reader asks its validator what a sheet's name says,
the locator gives its verdicts as its reasons and reads degrees with its reader, and it imports
neither of them. Inside: ``reasons`` imports nothing of the room; ``validation`` and ``feedback``
import ``reasons``; ``template`` stands alone.

May import: :mod:`smartcity.platform` and itself.
"""
