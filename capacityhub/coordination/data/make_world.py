"""Regenerate ``world-110m.geojson`` from Natural Earth's 1:110m admin-0 countries (public domain).

The source used: the copy of ``ne_110m_admin_0_countries`` that geopandas 0.14.4 shipped as its
``naturalearth_lowres`` dataset (``pip download --no-deps geopandas==0.14.4``, then unzip
``geopandas/datasets/naturalearth_lowres/*``). Usage::

    python capacityhub/coordination/data/make_world.py path/to/naturalearth_lowres.shp

Reads the shapefile and its attribute table with the standard library only, rounds coordinates to one
decimal degree (about 11 km: enough for a choropleth), drops repeated points and writes a GeoJSON
FeatureCollection whose features carry ``iso_a3`` and ``name``.
"""

import json
import struct
import sys
from pathlib import Path


def read_dbf(path):
    data = Path(path).read_bytes()
    count, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields = []
    offset = 32
    while data[offset] != 0x0D:
        name = data[offset : offset + 11].split(b"\0")[0].decode()
        length = data[offset + 16]
        fields.append((name, length))
        offset += 32
    rows = []
    for i in range(count):
        start = header_len + i * record_len + 1
        row = {}
        for name, length in fields:
            row[name] = data[start : start + length].decode("utf-8", "replace").strip()
            start += length
        rows.append(row)
    return rows


def read_shp(path):
    data = Path(path).read_bytes()
    offset = 100
    shapes = []
    while offset < len(data):
        _number, length = struct.unpack(">II", data[offset : offset + 8])
        content = data[offset + 8 : offset + 8 + length * 2]
        offset += 8 + length * 2
        shape_type = struct.unpack("<i", content[:4])[0]
        if shape_type != 5:
            shapes.append([])
            continue
        num_parts, num_points = struct.unpack("<ii", content[36:44])
        parts = list(struct.unpack("<{}i".format(num_parts), content[44 : 44 + 4 * num_parts]))
        base = 44 + 4 * num_parts
        points = [
            struct.unpack("<dd", content[base + 16 * k : base + 16 * k + 16]) for k in range(num_points)
        ]
        rings = []
        for j, start in enumerate(parts):
            end = parts[j + 1] if j + 1 < num_parts else num_points
            ring = []
            for x, y in points[start:end]:
                point = [round(x, 1), round(y, 1)]
                if not ring or ring[-1] != point:
                    ring.append(point)
            if len(ring) >= 4:
                rings.append(ring)
        shapes.append(rings)
    return shapes


def main(shp):
    rows = read_dbf(Path(shp).with_suffix(".dbf"))
    shapes = read_shp(shp)
    features = []
    for row, rings in zip(rows, shapes, strict=True):
        if not rings:
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"iso_a3": row.get("iso_a3", ""), "name": row.get("name", "")},
                # Each ring as its own polygon: rendering with the even-odd rule keeps the holes.
                "geometry": {"type": "MultiPolygon", "coordinates": [[ring] for ring in rings]},
            }
        )
    out = Path(__file__).with_name("world-110m.geojson")
    collection = {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:110m Admin 0 Countries (public domain), via geopandas 0.14.4; "
        "coordinates rounded to 0.1 degree.",
        "features": features,
    }
    out.write_text(json.dumps(collection, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8")
    print(len(features), "countries,", out.stat().st_size, "bytes")


if __name__ == "__main__":
    main(sys.argv[1])
