"""Reading one free-text location cell: coordinates in every form, map links, addresses, the regency.

Pure: no gazetteer, no database, no network. Property tests write random points of Paser's bounding box
in every supported form and read them back within 1 m (DMS with one decimal of a second is compared with
the point its text denotes: 0.05" of rounding alone is up to 1.55 m on each axis). Example tables give
each address shape and each decision of :mod:`smartcity.intake.locate.locations`.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod, Transformer

from smartcity.intake.locate import locations
from smartcity.intake.locate.locations import (
    ParsedLocation,
    parse_location,
    parse_locations,
    village_spellings,
)

PASER = ("paser", "pasir")  # the regency's normalised names, as the matcher passes them
GEOD = Geod(ellps="WGS84")
TO_UTM50S = Transformer.from_crs(4326, 32750, always_xy=True)
KINDS = {"empty", "point", "names", "regency", "link_unreadable", "unreadable"}


def metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2]


def parse(text: object, **kwargs) -> ParsedLocation:
    return parse_location(text, regency_names=PASER, **kwargs)


# --- every coordinate form, as a property -------------------------------------------------------------------


def comma(value: float, places: int = 6) -> str:
    return f"{value:.{places}f}".replace(".", ",")


def dms(value: float) -> tuple[int, int, float, float]:
    """Degrees, minutes and seconds (one decimal) of |value|, and the |value| that text denotes."""
    tenths = round(abs(value) * 36000)
    degrees, rest = divmod(tenths, 36000)
    minutes, seconds = divmod(rest, 600)
    return degrees, minutes, seconds / 10, tenths / 36000


def ddm(value: float) -> tuple[int, float, float]:
    """Degrees and minutes (four decimals) of |value|, and the |value| that text denotes."""
    units = round(abs(value) * 600_000)
    degrees, rest = divmod(units, 600_000)
    return degrees, rest / 10_000, units / 600_000


def decimal_forms(lat: float, lon: float) -> dict[str, str]:
    a = abs(lat)
    return {
        "lat, lon": f"{lat:.6f}, {lon:.6f}",
        "lon, lat": f"{lon:.6f}, {lat:.6f}",
        "decimal commas; semicolon": f"{comma(lat)}; {comma(lon)}",
        "decimal commas, comma": f"{comma(lat)}, {comma(lon)}",
        "space between": f"{lat:.6f} {lon:.6f}",
        "no space after comma": f"{lat:.6f},{lon:.6f}",
        "slash": f"{lat:.6f} / {lon:.6f}",
        "brackets": f"({lat:.6f}, {lon:.6f})",
        "non-breaking space": f"{lat:.6f}\u00a0{lon:.6f}",
        "unicode minus": f"\u2212{a:.6f}, {lon:.6f}",
        "LS BT after": f"{a:.6f} LS {lon:.6f} BT",
        "LS BT after, lon first": f"{lon:.6f} BT, {a:.6f} LS",
        "S E before": f"S {a:.6f} E {lon:.6f}",
        "LS BT before": f"LS {a:.6f}, BT {lon:.6f}",
        "S E after, glued": f"{a:.6f}S {lon:.6f}E",
        "degree sign, comma decimals, LS BT": f"{comma(a)}° LS, {comma(lon)}° BT",
        "degree sign, S E": f"{a:.6f}°S {lon:.6f}°E",
        "degree signs only": f"{lat:.6f}° {lon:.6f}°",
        "Indonesian words": f"{a:.6f} Lintang Selatan {lon:.6f} Bujur Timur",
        "English words": f"{a:.6f} South, {lon:.6f} East",
        "redundant minus and S": f"{lat:.6f} S, {lon:.6f} E",
        "Lat Long labels": f"Lat: {lat:.6f} Long: {lon:.6f}",
        "Lintang Bujur labels": f"Lintang: {lat:.6f} Bujur: {lon:.6f}",
        "lat= lon=": f"lat={lat:.6f}, lon={lon:.6f}",
        "Latitude Longitude, lon first": f"Longitude {lon:.6f}, Latitude {lat:.6f}",
        "Koordinat label": f"Koordinat: {lat:.6f}, {lon:.6f}",
        "Titik koordinat, WGS84": f"Titik koordinat (WGS84): {lat:.6f}; {lon:.6f}",
        "two lines": f"{lat:.6f}\n{lon:.6f}",
    }


def dms_forms(lat: float, lon: float) -> dict[str, str]:
    d, m, s, _ = dms(lat)
    e, n, t, _ = dms(lon)
    return {
        "dms S E": f"{d}°{m}'{s:.1f}\"S {e}°{n}'{t:.1f}\"E",
        "dms spaced LS BT, comma seconds": f"{d}° {m}' {comma(s, 1)}\" LS {e}° {n}' {comma(t, 1)}\" BT",
        "dms primes": f"{d}°{m}′{s:.1f}″S {e}°{n}′{t:.1f}″E",
        "dms two single quotes": f"{d}°{m}'{s:.1f}''S {e}°{n}'{t:.1f}''E",
        "dms typographic quotes, º": f"{d}º{m}’{s:.1f}”S, {e}º{n}’{t:.1f}”E",
        "dms no marks": f"{d} {m} {s:.1f} S {e} {n} {t:.1f} E",
        "dms letters before": f"S {d}°{m}'{s:.1f}\" E {e}°{n}'{t:.1f}\"",
        "dms lon first": f"{e}°{n}'{t:.1f}\"E, {d}°{m}'{s:.1f}\"S",
        "dms minus, no letters": f"-{d}°{m}'{s:.1f}\" {e}°{n}'{t:.1f}\"",
    }


def ddm_forms(lat: float, lon: float) -> dict[str, str]:
    d, m, _ = ddm(lat)
    e, n, _ = ddm(lon)
    return {
        "ddm S E": f"{d}°{m:.4f}'S {e}°{n:.4f}'E",
        "ddm letters before, comma minutes": f"S {d}° {comma(m, 4)}' E {e}° {comma(n, 4)}'",
        "ddm LS BT": f"{d}°{m:.4f}' LS, {e}°{n:.4f}' BT",
    }


def utm_forms(lat: float, lon: float) -> dict[str, str]:
    x, y = (round(v) for v in TO_UTM50S.transform(lon, lat))
    return {
        "utm 50M": f"50M {x} {y}",
        "utm 50 M spaced": f"50 M {x} {y}",
        "utm E N": f"E {x} N {y}",
        "utm N E": f"N {y} E {x}",
        "utm mE mN": f"{x} mE {y} mN",
        "utm X Y": f"X: {x} Y: {y}",
        "utm bare numbers": f"{x} {y}",
        "utm northing first": f"{y}, {x}",
        "utm 50S read as south": f"50S {x} {y}",
        "utm zona, labels": f"Zona 50M E {x} N {y}",
        "utm UTM WGS84 prefix": f"UTM WGS84 50M {x}mE {y}mN",
    }


def link_forms(lat: float, lon: float) -> dict[str, str]:
    la, lo = f"{lat:.6f}", f"{lon:.6f}"
    return {
        "google q": f"https://www.google.com/maps?q={la},{lo}",
        "maps.google.com ?q": f"https://maps.google.com/?q={la},{lo}",
        "google place @": f"https://www.google.com/maps/place/Kantor+Desa/@{la},{lo},17z",
        "google pin beats viewport": (
            f"https://www.google.com/maps/place/Kantor/@{lat + 0.01:.6f},{lon - 0.02:.6f},12z/"
            f"data=!3m1!4b1!4m6!3m5!1s0x2df0:0x1!8m2!3d{la}!4d{lo}!16s"
        ),
        "google ll": f"https://www.google.com/maps?ll={la},{lo}&z=15",
        "google daddr": f"https://maps.google.com/maps?saddr=My+Location&daddr={la},{lo}",
        "google query %2C": f"https://www.google.com/maps/search/?api=1&query={la}%2C{lo}",
        "google destination": f"https://www.google.com/maps/dir/?api=1&destination={la}%2C{lo}",
        "google path": f"https://www.google.com/maps/place/{la},{lo}/",
        "osm #map": f"https://www.openstreetmap.org/#map=17/{la}/{lo}",
        "osm mlat mlon": f"https://www.openstreetmap.org/?mlat={la}&mlon={lo}#map=17/{la}/{lo}",
        "geo uri": f"geo:{la},{lo}",
        "geo 0,0 with q": f"geo:0,0?q={la},{lo}(Kantor Desa)",
        "apple ll": f"https://maps.apple.com/?ll={la},{lo}&q=Dropped%20Pin",
        "waze ll": f"https://waze.com/ul?ll={la}%2C{lo}&navigate=yes",
        "bing cp": f"https://www.bing.com/maps?cp={la}~{lo}&lvl=15",
        "whatsapp shared location": f"Lokasi saya: https://maps.google.com/maps?q={la}%2C{lo}&z=17&hl=id",
        "link with text around": f"Titik lokasi kegiatan 👉 https://maps.google.com/?q={la},{lo} (cek)",
    }


POINTS = st.tuples(
    st.floats(min_value=-2.65, max_value=-0.95, allow_nan=False),
    st.floats(min_value=115.45, max_value=116.75, allow_nan=False),
)
EXACT_FORMS = {
    **{name: ("decimal", decimal_forms) for name in decimal_forms(-1.9, 116.2)},
    **{name: ("ddm", ddm_forms) for name in ddm_forms(-1.9, 116.2)},
    **{name: ("utm", utm_forms) for name in utm_forms(-1.9, 116.2)},
    **{name: ("link", link_forms) for name in link_forms(-1.9, 116.2)},
}


@pytest.mark.parametrize("name", sorted(EXACT_FORMS))
@settings(max_examples=40, deadline=None)
@given(point=POINTS)
def test_every_form_reads_back_within_a_metre(name, point):
    lat, lon = point
    form, writer = EXACT_FORMS[name]
    text = writer(lat, lon)[name]
    found = parse(text)
    assert (found.kind, found.form) == ("point", form), text
    assert metres(lat, lon, found.lat, found.lon) < 1.0, text


@pytest.mark.parametrize("name", sorted(dms_forms(-1.9, 116.2)))
@settings(max_examples=40, deadline=None)
@given(point=POINTS)
def test_dms_reads_back_the_point_its_text_denotes(name, point):
    lat, lon = point
    text = dms_forms(lat, lon)[name]
    written_lat, written_lon = -dms(lat)[3], dms(lon)[3]
    found = parse(text)
    assert (found.kind, found.form) == ("point", "dms"), text
    assert metres(written_lat, written_lon, found.lat, found.lon) < 1.0, text
    assert metres(lat, lon, found.lat, found.lon) < 2.2, text  # 0.05" rounding: 1.55 m per axis at most


# --- coordinate examples ------------------------------------------------------------------------------------

POINT_EXAMPLES = [
    ("-1.912, 116.2", -1.912, 116.2, "decimal"),
    ("116.2, -1.912", -1.912, 116.2, "decimal"),
    ("-1,912; 116,2", -1.912, 116.2, "decimal"),
    ("-1.912 116.2", -1.912, 116.2, "decimal"),
    ("1.912 LS 116.2 BT", -1.912, 116.2, "decimal"),
    ("S 1.912 E 116.2", -1.912, 116.2, "decimal"),
    ("1,912° LS, 116,2° BT", -1.912, 116.2, "decimal"),
    ("1.912-116.2", 1.912, 116.2, "decimal"),  # a hyphen between digits separates, it is no minus
    ("1.5 LU 100.25 BB", 1.5, -100.25, "decimal"),  # north and west are read, not judged
    ("-1, 116", -1.0, 116.0, "decimal"),
    ("10.5, 20.25", 10.5, 20.25, "decimal"),  # both could be latitudes: the written order (lat, lon)
    ("1°52'10\"S 116°4'3\"E", -(1 + 52 / 60 + 10 / 3600), 116 + 4 / 60 + 3 / 3600, "dms"),
    ("1° 52' 10\" LS 116° 4' 3\" BT", -(1 + 52 / 60 + 10 / 3600), 116 + 4 / 60 + 3 / 3600, "dms"),
    ("1°52'10,5\"S 116°4'3\"E", -(1 + 52 / 60 + 10.5 / 3600), 116 + 4 / 60 + 3 / 3600, "dms"),
    ("1°52′10″S 116°4′3″E", -(1 + 52 / 60 + 10 / 3600), 116 + 4 / 60 + 3 / 3600, "dms"),
    ("1°52'10''S 116°4'3''E", -(1 + 52 / 60 + 10 / 3600), 116 + 4 / 60 + 3 / 3600, "dms"),
    ("1 52 10 S 116 4 3 E", -(1 + 52 / 60 + 10 / 3600), 116 + 4 / 60 + 3 / 3600, "dms"),
    ("-1 52 10 116 4 3", -(1 + 52 / 60 + 10 / 3600), 116 + 4 / 60 + 3 / 3600, "dms"),
    ("1°52.123'S 116°4.05'E", -(1 + 52.123 / 60), 116 + 4.05 / 60, "ddm"),
    ("1°52'S 116°4.5'E", -(1 + 52 / 60), 116 + 4.5 / 60, "ddm"),
    ("S1 52.123 E116 04.050", -(1 + 52.123 / 60), 116 + 4.05 / 60, "ddm"),  # a handheld GPS display
    ("S01°52.123' E116°04.050'", -(1 + 52.123 / 60), 116 + 4.05 / 60, "ddm"),
    ("1.9°LS - 116.2°BT", -1.9, 116.2, "decimal"),
    ("[-1.9,116.2]", -1.9, 116.2, "decimal"),
    ("-1.9° 116.2", -1.9, 116.2, "decimal"),
    ("Lat: -1.9 Long: 116.2", -1.9, 116.2, "decimal"),
    ("Lintang: -1.9 Bujur: 116.2", -1.9, 116.2, "decimal"),
    ("lat=-1.9, lon=116.2", -1.9, 116.2, "decimal"),
    ("LAT -1.9 / LNG 116.2", -1.9, 116.2, "decimal"),
    ("Lat, Long: -1.9, 116.2", -1.9, 116.2, "decimal"),
    ("Lokasi saya: -1.9, 116.2", -1.9, 116.2, "decimal"),
]


@pytest.mark.parametrize(("text", "lat", "lon", "form"), POINT_EXAMPLES)
def test_coordinate_examples(text, lat, lon, form):
    found = parse(text)
    assert (found.kind, found.form) == ("point", form)
    assert found.lat == pytest.approx(lat, abs=1e-9) and found.lon == pytest.approx(lon, abs=1e-9)
    assert found.villages == found.districts == () and found.bare is None


def utm(x: float, y: float, epsg: int) -> tuple[float, float]:
    lon, lat = Transformer.from_crs(epsg, 4326, always_xy=True).transform(x, y)
    return lat, lon


@pytest.mark.parametrize(
    ("text", "epsg", "utm_epsg"),
    [
        ("50M 412345 9791234", 32750, 32750),
        ("49M 812345 9791234", 32749, 32750),  # the zone written wins over utm_epsg
        ("412345 9791234", 32749, 32749),  # no zone: utm_epsg
        ("50L 412345 8791234", 32750, 32750),  # bands C..M: south
        ("50N 412345 212345", 32650, 32750),  # band N (0..8°N), or N as north: the same
        ("50S 412345 9791234", 32750, 32750),  # S with a northing of 5 million or more: the south
        ("50S 412345 4212345", 32650, 32750),  # S with a smaller northing: band S, 32..40°N
        ("Zona 50 412345 9791234", 32750, 32750),  # a zone without band: the hemisphere of utm_epsg
        ("Zona 50 412345 212345", 32650, 32650),
        ("E: 412345,5 N: 9791234,5", 32750, 32750),  # decimal commas in metres
    ],
)
def test_utm_zones_bands_and_hemispheres(text, epsg, utm_epsg):
    x, y = (float(v.replace(",", ".")) for v in re.findall(r"\d{5,}(?:,\d+)?", text))
    found = parse(text, utm_epsg=utm_epsg)
    assert (found.kind, found.form) == ("point", "utm")
    lat, lon = utm(x, y, epsg)
    assert metres(lat, lon, found.lat, found.lon) < 0.01


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("116.2, 116.3", "coordinates"),  # neither can be the latitude
        ("-91.5, 200.1", "coordinates"),
        ("Lat: 116.2 Long: 116.3", "coordinates"),
        ("1°75'10\"S 116°4'3\"E", "coordinates"),  # 75 minutes
        ("1°52'61\"S 116°4'3\"E", "coordinates"),  # 61 seconds
        ("1.5°52'S 116°4'E", "coordinates"),  # decimals before minutes
        ("1.9 S 116.2", "coordinates"),  # a letter for one value only
        ("-1.9 N 116.2 E", "coordinates"),  # a minus and N contradict
        ("116.2 LS 1.9 BT", "coordinates"),  # the letters say latitude 116.2
        ("1.9 LS 2.1 LU", "coordinates"),  # two latitudes
        ("50M 12345 9791234", "utm"),  # easting out of range
        ("412345 97912345", "utm"),  # northing out of range
        ("0812-3456-7890", "text"),  # a phone number
        ("+62 812 3456 7890", "text"),
        ("2025", "text"),  # a year
        ("2025 2026", "text"),
        ("116.2", "text"),  # half a pair
        ("Long Ikis 2", "text"),  # unmarked text with a digit
        ("Lokasi 2", "text"),
        ("Lat: -1.9", "coordinates"),  # a coordinate label, but half a pair
        ("RT 05 RW 02", "address"),  # markers, but no place
        ("Jl. Jend. Sudirman No. 4", "address"),
        ("Dusun III", "address"),
        ("Kecamatan", "address"),
        ("Lori dan Muara Toyu", "bare_list"),  # two unmarked names joined by "dan": no village/district pair
        ("Lori, Muara Toyu, Long Kali, Tanah Grogot", "bare_list"),
    ],
)
def test_unreadable(text, form):
    assert parse(text) == ParsedLocation("unreadable", form=form)


# --- links --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "https://maps.app.goo.gl/AbC123xyz",
        "https://goo.gl/maps/AbC123xyz",
        "goo.gl/maps/AbC123xyz",
        "maps.app.goo.gl/AbC123xyz",
        "bit.ly/3AbCdEf",
        "https://www.google.com/maps/place/Kantor+Bupati+Paser",
        "https://example.com/lokasi-kegiatan",
        "Lokasi saya: https://maps.app.goo.gl/AbC123xyz",
        "https://maps.app.goo.gl/AbC123xyz Long Ikis",  # bare text is not enough to stand instead
    ],
)
def test_links_without_coordinates_are_not_followed(text):
    assert parse(text) == ParsedLocation("link_unreadable", form="link")


def test_link_with_names_around_gives_the_point_and_keeps_the_names():
    found = parse("Desa Lori, Kec. Long Kali\nhttps://www.google.com/maps?q=-1.9,116.2")
    assert (found.kind, found.form, found.lat, found.lon) == ("point", "link", -1.9, 116.2)
    assert (found.villages, found.districts) == (("Lori",), ("Long Kali",))


def test_short_link_gives_way_to_the_address_beside_it():
    found = parse("https://maps.app.goo.gl/AbC123 Desa Lori Kec. Long Kali")
    assert found == ParsedLocation("names", villages=("Lori",), districts=("Long Kali",), form="address")
    assert parse("https://maps.app.goo.gl/AbC123 (-1.912345, 116.234567)").kind == "point"
    assert parse("https://maps.app.goo.gl/AbC123, Kab. Paser") == locations.REGENCY


@pytest.mark.parametrize(
    ("text", "lat", "lon"),
    [
        ("https://www.google.com/maps?q=1°52'10.0\"S+116°04'03.0\"E", -(1 + 52 / 60 + 10 / 3600), 116.0675),
        ("https://www.google.com/maps?q=1%C2%B052'10.0%22S+116%C2%B004'03.0%22E", -1.869444, 116.0675),
        ("https://www.google.com/maps?q=-1.9%252C116.2", -1.9, 116.2),  # encoded twice
        ("geo:116.2,-1.9", -1.9, 116.2),  # swapped in the link: the range decides as for text
    ],
)
def test_link_examples(text, lat, lon):
    found = parse(text)
    assert (found.kind, found.form) == ("point", "link")
    assert found.lat == pytest.approx(lat, abs=1e-6) and found.lon == pytest.approx(lon, abs=1e-6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Desa Lori (-1.912345, 116.234567)", ParsedLocation("point", -1.912345, 116.234567, ("Lori",))),
        ("-1.912, 116.2 (Desa Lori)", ParsedLocation("point", -1.912, 116.2, ("Lori",))),
        (
            "Kantor Desa Lori, Kec. Long Kali, S 1°52'10\" E 116°4'3\"",
            ParsedLocation("point", -(1 + 52 / 60 + 10 / 3600), 116.0675, ("Lori",), ("Long Kali",)),
        ),
        ("Jl. Sudirman No. 4, 1.912 LS 116.2 BT", ParsedLocation("point", -1.912, 116.2)),  # no names
        ("Desa Lori, koordinat -1.9, 116.2", ParsedLocation("names", villages=("Lori",))),  # too rough
        ("RT 05.02, RW 01.03 Desa Lori", ParsedLocation("names", villages=("Lori",))),
    ],
)
def test_coordinates_inside_an_address(text, expected):
    found = parse(text)
    assert (found.kind, found.villages, found.districts) == (
        expected.kind,
        expected.villages,
        expected.districts,
    )
    if expected.kind == "point":
        assert found.lat == pytest.approx(expected.lat) and found.lon == pytest.approx(expected.lon)


def test_link_with_impossible_coordinates_is_unreadable():
    assert parse("https://maps.google.com/?q=200.5,300.5") == ParsedLocation("unreadable", form="coordinates")


# --- addresses ----------------------------------------------------------------------------------------------


def names(villages=(), districts=(), bare=None, all_villages=False, form="address") -> ParsedLocation:
    return ParsedLocation(
        "names", villages=tuple(villages), districts=tuple(districts), bare=bare,
        all_villages=all_villages, form=form,
    )  # fmt: skip


ADDRESSES = [
    # streets, RT/RW, house numbers, postal codes, dusun are dropped
    ("Jl. Jend. Sudirman No. 4 RT 12, Kelurahan Long Ikis", names(["Long Ikis"])),
    ("Dusun III, Desa Lori", names(["Lori"])),
    ("Desa Lori Kec. Long Kali", names(["Lori"], ["Long Kali"])),
    ("Ds. Rantau Panjang, Kec. Tanah Grogot, Kab. Paser", names(["Rantau Panjang"], ["Tanah Grogot"])),
    ("Kel. Tanah Grogot / Kec. Tanah Grogot", names(["Tanah Grogot"], ["Tanah Grogot"])),
    (
        "Dusun Sidomulyo RT 05 Desa Lori Kecamatan Long Kali Kabupaten Paser Provinsi Kalimantan Timur 76263",
        names(["Lori"], ["Long Kali"]),
    ),
    ("Jl. Trans Kalimantan Km. 5 RT.03/RW.01, Ds Lori, Kode Pos 76263", names(["Lori"])),
    ("Gg. Mawar No.12, Kel. Tanah Grogot", names(["Tanah Grogot"])),
    # any case, with or without dots, spaces of every kind, line breaks
    ("DESA LORI, KECAMATAN LONG KALI", names(["LORI"], ["LONG KALI"])),
    ("desa lori kec long kali", names(["lori"], ["long kali"])),
    ("Ds.Lori,Kec.Long Kali", names(["Lori"], ["Long Kali"])),
    ("Desa\u00a0Lori  \tKec.\u00a0 Long   Kali", names(["Lori"], ["Long Kali"])),
    ("Kelurahan:  Long Ikis\r\nKecamatan: Long Ikis", names(["Long Ikis"], ["Long Ikis"])),
    ("Desa Muara Adang II - Kec. Long Ikis", names(["Muara Adang II"], ["Long Ikis"])),
    # prose before a marker is dropped; a short unmarked name before Kec. is the village
    ("Pembangunan posyandu di Desa Lori", names(["Lori"])),
    ("Lokasi: Desa Lori", names(["Lori"])),
    ("Lori Kec. Long Kali", names(["Lori"], ["Long Kali"])),
    ("Lori, Kec. Long Kali", names(["Lori"], ["Long Kali"])),
    ("Kec. Tanah Grogot, Paser", names([], ["Tanah Grogot"])),  # the regency's name is no district
    ("Paser Kec. Tanah Grogot", names([], ["Tanah Grogot"])),  # nor a village
    ("RT 10 Kec. Long Ikis", names([], ["Long Ikis"])),  # a number before Kec. is no "10 Kecamatan"
    ("Jl. Poros No. 10 Kec. Long Ikis", names([], ["Long Ikis"])),
    # several places
    ("Desa Lori dan Desa Muara Toyu", names(["Lori", "Muara Toyu"])),
    ("Desa A, Desa B", names(["A", "B"])),
    ("Desa A, B dan C", names(["A", "B", "C"])),
    ("Kec. X dan Kec. Y", names([], ["X", "Y"])),
    ("Kec. A, B", names([], ["A", "B"])),
    ("Desa Lori & Desa Sebakung; Kec. Long Kali", names(["Lori", "Sebakung"], ["Long Kali"])),
    ("Desa Lori, Long Kali", names(["Lori", "Long Kali"])),  # decision: a list goes on; the matcher knows
    ("Desa Lori dan sekitarnya", names(["Lori"])),
    # kampung
    ("Kampung Baru", names(["Kampung Baru"])),
    ("Kp. Baru, Kec. Tanah Grogot", names(["Kampung Baru"], ["Tanah Grogot"])),
    ("Desa Kampung Baru", names(["Kampung Baru"])),
    ("Kp. Baru RT 3, Desa Lori", names(["Lori"])),  # a neighbourhood of Lori
    # all villages
    ("semua desa di Kec. Long Kali", names([], ["Long Kali"], all_villages=True)),
    ("Kec. Long Kali (semua desa)", names([], ["Long Kali"], all_villages=True)),
    ("Seluruh desa/kelurahan di Kecamatan Tanah Grogot", names([], ["Tanah Grogot"], all_villages=True)),
    ("se-Kecamatan Long Ikis", names([], ["Long Ikis"], all_villages=True)),
    ("semua desa Long Kali", names([], ["Long Kali"], all_villages=True)),
    # no markers: bare, or a village/district pair
    ("Long Ikis", names(bare="Long Ikis", form="bare")),
    ("  long   ikis ", names(bare="long ikis", form="bare")),
    ("di Long Ikis", names(bare="Long Ikis", form="bare")),
    ("Jl. Sudirman, Long Ikis", names(bare="Long Ikis", form="bare")),
    ("Long Ikis, Kab. Paser", names(bare="Long Ikis", form="bare")),
    ("Perbaikan saluran air di pasar", names(bare="Perbaikan saluran air di pasar", form="bare")),
    ("Lori / Long Kali", names(["Lori"], ["Long Kali"], form="pair")),
    ("Lori, Long Kali", names(["Lori"], ["Long Kali"], form="pair")),
    ("Lori (Long Kali)", names(["Lori"], ["Long Kali"], form="pair")),
    ("Lori - Long Kali", names(["Lori"], ["Long Kali"], form="pair")),
    ("Lori / Long Kali / Paser", names(["Lori"], ["Long Kali"], form="pair")),
    ("Lori\nLong Kali", names(["Lori"], ["Long Kali"], form="pair")),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSES)
def test_address_examples(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "seluruh wilayah Kabupaten Paser",
        "Kab. Paser",
        "Kabupaten Paser",
        "KAB. PASIR",
        "se-Kabupaten Paser",
        "Sekabupaten Paser",
        "sekabupaten",
        "semua kecamatan",
        "Seluruh Kecamatan",
        "10 Kecamatan",
        "10 kec.",
        "Kabupaten",
        "Kab.",
        "seluruh wilayah",
        "Paser",
        "Kab. Paser, Kalimantan Timur",
        "Kab. Paser, Long Ikis",  # decision: unmarked text after the regency is dropped
        "10 kecamatan di Kabupaten Paser",
    ],
)
def test_regency_wide(text):
    assert parse(text) == ParsedLocation("regency", form="regency")


def test_all_villages_without_a_district_is_the_regency():
    for text in ("semua desa", "seluruh desa", "Semua Desa/Kelurahan"):
        assert parse(text) == ParsedLocation("regency", all_villages=True, form="regency")


@pytest.mark.parametrize(
    "text",
    [
        "Kab. Kutai Barat",
        "Kabupaten Penajam Paser Utara",
        "se-Kabupaten Kutai Kartanegara",
        "Desa Linggang Bigung, Kab. Kutai Barat",  # the regency is the stronger statement
    ],
)
def test_another_regency(text):
    assert parse(text) == ParsedLocation("unreadable", form="other_regency")
    assert parse_location(text).kind in ("regency", "names")  # without regency_names: not judged


@pytest.mark.parametrize(
    "text",
    [None, "", "   ", "-", "–", "—", "?", "n/a", "N/A", "NA", "tidak ada", "Tidak Ada", "tdk ada", "nan"],
)
def test_empty(text):
    assert parse(text) == locations.EMPTY


def test_cells_that_are_no_text():
    assert parse(float("nan")) == parse(pd.NA) == parse(pd.NaT) == parse(np.nan) == locations.EMPTY
    assert parse(2025) == ParsedLocation("unreadable", form="text")
    assert parse(-1.9) == ParsedLocation("unreadable", form="text")


def test_village_spellings():
    assert village_spellings("Kampung Baru") == ("Kampung Baru", "Baru")
    assert village_spellings("KAMPUNG Baru") == ("KAMPUNG Baru", "Baru")
    assert village_spellings("Lori") == ("Lori",)
    assert village_spellings("Kampung") == ("Kampung",)


# --- properties of names and of any text --------------------------------------------------------------------

RESERVED = set(
    "desa ds kel kelurahan kalurahan kampung kp kmp kec kecamatan kacamatan kab kabupaten prov provinsi "
    "propinsi kalimantan kaltim indonesia dusun dsn lingkungan rt rw jl jln jalan gg gang lorong blok "
    "komplek kompleks "
    "perum perumahan no nomor km kode kodepos di ke dari pada lokasi wilayah daerah kawasan area sekitar "
    "sekitarnya alamat tempat titik saya dll dsb dst lainnya lain yaitu meliputi antara dan serta atau and "
    "the in at semua seluruh segenap paser pasir".split()
)
WORD = st.from_regex(r"[A-Z][a-z]{2,9}", fullmatch=True).filter(lambda w: w.lower() not in RESERVED)
NAME = st.lists(WORD, min_size=1, max_size=3).map(" ".join)
TEMPLATES = [
    "Desa {v}, Kec. {d}",
    "Ds. {v} / Kec. {d}",
    "Kelurahan {v} Kecamatan {d} Kabupaten Paser",
    "Jl. Merdeka No. 4 RT 02/RW 01, Desa {v}, Kec. {d}, Kode Pos 76211",
    "Dusun II, Desa {v}\nKecamatan {d}",
    "{v} / {d}",
    "{v}, {d}",
    "DESA {v} KEC. {d}",
]


@settings(max_examples=150, deadline=None)
@given(village=NAME, district=NAME, template=st.sampled_from(TEMPLATES))
def test_names_come_back_as_written(village, district, template):
    found = parse(template.format(v=village, d=district))
    assert (found.villages, found.districts) == ((village,), (district,))


CELL_TEXT = st.lists(
    st.one_of(
        st.text(alphabet=st.sampled_from("aAsSeEnNlLbBtTuU019.,;:/-–°'\"′″()&@?=!#% \u00a0\n"), max_size=12),
        st.sampled_from(
            ["Desa ", "Kec. ", "Kab. ", "Kampung ", "Kp. ", "RT ", "semua desa", "dan ", "http://", "https://",
             "maps.app.goo.gl/x", "geo:", "q=", "@", "!3d", "!4d", "50M ", "412345", "9791234", "LS", "BT",
             "Lori", "Long Kali", "Paser", "Kutai", "se-", "10 Kecamatan", "mE", "mN", "%2C", "#map=15/"]
        ),
        st.text(max_size=6),
    ),
    max_size=10,
).map("".join)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(text=CELL_TEXT)
def test_any_text_reads_without_error_into_a_consistent_result(text):
    found = parse(text)
    assert found.kind in KINDS
    assert found == parse_location(text, regency_names=PASER)  # deterministic
    if found.kind == "point":
        assert math.isfinite(found.lat) and abs(found.lat) <= 90
        assert math.isfinite(found.lon) and abs(found.lon) <= 180
    else:
        assert found.lat is None and found.lon is None
    if found.kind == "names":
        assert found.villages or found.districts or found.bare or found.all_villages
    written = " ".join(text.replace("\u200b", "").replace("\ufeff", "").split())
    for name in (*found.villages, *found.districts, *((found.bare,) if found.bare else ())):
        assert name and name == name.strip() and "  " not in name and "\n" not in name
        assert name in written or name.startswith("Kampung "), (name, text)


# --- a column -----------------------------------------------------------------------------------------------


def test_parse_locations_aligns_and_parses_each_distinct_value_once(monkeypatch):
    calls: list[object] = []
    real = locations.parse_location

    def counting(text, **kwargs):
        calls.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(locations, "parse_location", counting)
    cells = np.array(
        ["Desa Lori", None, "-1.9, 116.2", "Desa Lori", np.nan, "Kab. Kutai Barat", "-1.9, 116.2", pd.NA, 7],
        dtype=object,
    )
    found = parse_locations(cells, regency_names=PASER)
    assert len(found) == len(cells)
    assert sorted(map(str, calls)) == sorted(["Desa Lori", "-1.9, 116.2", "Kab. Kutai Barat", "7"])
    assert [f.kind for f in found] == [
        "names", "empty", "point", "names", "empty", "unreadable", "point", "empty", "unreadable",
    ]  # fmt: skip
    assert found[0] is found[3]  # one result per distinct value
    assert found[5].form == "other_regency"  # the keyword arguments reach every cell


def test_parse_locations_of_nothing_and_of_a_series():
    assert parse_locations(np.array([], dtype=object)) == []
    series = pd.Series(["Kec. Long Ikis", "Kab. Paser"])
    assert [f.kind for f in parse_locations(series, regency_names=PASER)] == ["names", "regency"]
