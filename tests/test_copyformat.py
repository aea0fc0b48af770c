"""COPY text built a column at a time: PostgreSQL reads back exactly the values that went in."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
import shapely
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartcity.platform import copyformat, db


def test_text_fields_escape_what_copy_treats_specially_and_mark_nulls():
    assert copyformat.text_field(["a\tb", "c\\d", "e\nf\rg", None, float("nan"), pd.NA, "", "ok"]) == [
        "a\\tb", "c\\\\d", "e\\nf\\rg", "\\N", "\\N", "\\N", "", "ok",
    ]  # fmt: skip
    assert copyformat.text_field([]) == []
    with pytest.raises(ValueError, match="NUL"):
        copyformat.text_field(["a\x00b"])


def test_numbers_print_integral_floats_as_integers_and_missing_as_null():
    assert copyformat.number_field(pd.Series([1.0, None, 3.0])) == ["1", "\\N", "3"]
    assert copyformat.number_field(pd.Series([0.5, 1.0])) == ["0.5", "1.0"]
    assert copyformat.number_field(pd.Series([2025, None], dtype="Int64")) == ["2025", "\\N"]
    assert copyformat.number_field(np.array([1, 2], dtype=np.int16)) == ["1", "2"]


def test_arrays_points_and_json():
    assert copyformat.array_field([None, [], ['say "hi"', "back\\slash"]]) == [
        "{}", "{}", '{"say \\\\"hi\\\\"","back\\\\\\\\slash"}',
    ]  # fmt: skip
    assert copyformat.point_field([116.2, None], [-1.9, None])[1] == "\\N"
    assert copyformat.point_field([116.2], [-1.9])[0].startswith("0101000020E6100000")
    assert copyformat.json_field([None, {"a": "é\n"}]) == ["{}", '{"a": "é\\\\n"}']


@given(st.lists(st.tuples(st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False)),
                          st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False))),
                max_size=20))  # fmt: skip
def test_points_are_the_hex_ewkb_shapely_writes(coordinates):
    lon = [c[0] for c in coordinates]
    lat = [c[1] for c in coordinates]
    expected = [
        "\\N" if x is None or y is None
        else shapely.to_wkb(shapely.set_srid(shapely.Point(x, y), 4326), hex=True, include_srid=True)
        for x, y in coordinates
    ]  # fmt: skip
    assert copyformat.point_field(lon, lat) == expected


def test_payload_joins_rows_in_chunks_and_refuses_ragged_columns():
    chunks = list(copyformat.payload([["1", "2", "3"], ["a", "b", "\\N"]], rows_per_chunk=2))
    assert chunks == [b"1\ta\n2\tb\n", b"3\t\\N\n"]
    with pytest.raises(ValueError, match="different lengths"):
        list(copyformat.payload([["1"], []]))


TEXT = st.one_of(st.none(), st.text(st.characters(blacklist_characters="\x00", codec="utf-8"), max_size=30))
LISTS = st.one_of(
    st.none(),
    st.lists(st.text(st.characters(blacklist_characters="\x00", codec="utf-8"), max_size=8), max_size=3),
)


@pytest.mark.db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(TEXT, st.one_of(st.none(), st.integers(-(2**31), 2**31 - 1)),
                               st.one_of(st.none(), st.floats(allow_nan=False, allow_infinity=False,
                                                              width=32)),
                               LISTS), min_size=1, max_size=20))  # fmt: skip
def test_whatever_goes_in_comes_back_out_of_postgresql(engine, rows):
    texts, ints, floats, lists = (list(c) for c in zip(*rows, strict=True))
    fields = [
        copyformat.text_field(texts),
        copyformat.number_field(pd.Series(ints, dtype="Int64")),
        copyformat.number_field(pd.Series(floats, dtype=float)),
        copyformat.array_field(lists),
    ]
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "CREATE TEMP TABLE t (n serial, s text, i bigint, f real, a text[]) ON COMMIT DROP"
        )
        db.copy_payload(conn, "t", ["s", "i", "f", "a"], copyformat.payload(fields, rows_per_chunk=7))
        back = conn.execute(sa.text("SELECT s, i, f, a FROM t ORDER BY n")).all()
    assert [r[0] for r in back] == texts
    assert [r[1] for r in back] == ints
    for got, sent in zip((r[2] for r in back), floats, strict=True):
        assert (got is None and sent is None) or math.isclose(got, sent, rel_tol=1e-6, abs_tol=1e-30)
    assert [r[3] for r in back] == [x or [] for x in lists]


@pytest.mark.db
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(points=st.lists(st.tuples(st.floats(-180, 180), st.floats(-90, 90)), min_size=1, max_size=20))
def test_points_come_back_out_of_postgis_with_their_srid(engine, points):
    lon, lat = [p[0] for p in points], [p[1] for p in points]
    fields = [copyformat.number_field(pd.Series(range(len(points)))), copyformat.point_field(lon, lat)]
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TEMP TABLE p (n int, geom geometry(Point, 4326)) ON COMMIT DROP")
        db.copy_payload(conn, "p", ["n", "geom"], copyformat.payload(fields, rows_per_chunk=7))
        back = conn.execute(sa.text("SELECT ST_X(geom), ST_Y(geom), ST_SRID(geom) FROM p ORDER BY n")).all()
    assert [tuple(r) for r in back] == [(x, y, 4326) for x, y in points]
