-- Statements of the IKN loader (smartcity/iknload.py). One transaction per load.

-- name: regency_extent
SELECT ST_AsBinary(ST_Envelope(ST_Collect(geom))) FROM ref.regency;

-- name: clear_zones
DELETE FROM ref.ikn_zone;

-- name: clear_boundary
DELETE FROM ref.ikn_boundary;

-- name: insert_boundary
INSERT INTO ref.ikn_boundary (id, name, source, geom)
VALUES (:id, :name, :source, ST_Multi(ST_GeomFromWKB(:wkb, 4326)));

-- name: insert_zone
INSERT INTO ref.ikn_zone (id, name, min_km, max_km, geom)
VALUES (:id, :name, :min_km, :max_km, ST_Multi(ST_GeomFromWKB(:wkb, 4326)));

-- name: zone_summary
SELECT z.id, z.name, count(v.code) AS villages
FROM ref.ikn_zone z LEFT JOIN ref.village v ON v.ikn_zone_id = z.id
GROUP BY z.id, z.name ORDER BY z.id;
