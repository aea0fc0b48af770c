"""Developer script: fetch the npm-sourced map assets into maps/web/static/vendor/ (by hand, not at run time).

For each npm bundle in ``maps.web.assets.BUNDLES`` it downloads the exact tarball from the npm registry,
checks it against the sha512 ``integrity`` of the registry's metadata for that version, and extracts
only the files the bundle needs plus its license into ``maps/web/static/vendor/<package>/`` (replacing
what was there). ``maps/web/static/vendor/manifest.json`` records each package's version, integrity,
license and files. Run ``python -m maps.web.fetch_assets`` after changing a version in
maps/web/assets.py, then commit the files.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import sys
import tarfile
import urllib.request
from pathlib import Path

from maps.web.assets import BUNDLES, VENDOR_DIR, Bundle

REGISTRY = "https://registry.npmjs.org"
TIMEOUT = 60


def _get(url: str) -> bytes:
    """The body of an HTTPS GET."""
    if not url.startswith("https://"):
        raise ValueError(f"refusing non-HTTPS URL {url}")
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return response.read()


def tarball_url(package: str, version: str) -> str:
    """The registry's tarball URL for package@version (scoped names included)."""
    base = package.rsplit("/", 1)[-1]
    return f"{REGISTRY}/{package}/-/{base}-{version}.tgz"


def check_integrity(data: bytes, integrity: str) -> None:
    """Raise ValueError unless data matches an SRI string's sha512 hash."""
    hashes = [item.split("-", 1)[1] for item in integrity.split() if item.startswith("sha512-")]
    if not hashes:
        raise ValueError(f"no sha512 in integrity {integrity!r}")
    actual = base64.b64encode(hashlib.sha512(data).digest()).decode()
    if actual not in hashes:
        raise ValueError(f"sha512 mismatch: got sha512-{actual}, registry says {integrity}")


def fetch(bundle: Bundle, vendor_dir: Path = VENDOR_DIR) -> dict[str, object]:
    """Download, verify and extract one npm bundle; return its manifest entry."""
    meta = json.loads(_get(f"{REGISTRY}/{bundle.package}/{bundle.version}"))
    url = tarball_url(bundle.package, bundle.version)
    if meta["dist"]["tarball"] != url:
        raise ValueError(f"{bundle.package}: registry tarball {meta['dist']['tarball']} is not {url}")
    data = _get(url)
    check_integrity(data, meta["dist"]["integrity"])
    target = vendor_dir / bundle.package
    if target.exists():
        shutil.rmtree(target)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        members = {member.name: member for member in tar.getmembers() if member.isfile()}
        for name in bundle.all_files():
            member = members.get(f"package/{name}")
            if member is None:
                raise ValueError(f"{bundle.package}@{bundle.version} has no {name}")
            source = tar.extractfile(member)
            assert source is not None
            dest = target / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(source.read())
    return {
        "version": bundle.version,
        "integrity": meta["dist"]["integrity"],
        "license": meta.get("license") or ", ".join(item["type"] for item in meta.get("licenses", [])),
        "license_file": bundle.license,
        "files": list(bundle.all_files()),
    }


def main() -> int:
    """Fetch every npm bundle and write the manifest."""
    manifest: dict[str, object] = {}
    for bundle in BUNDLES:
        if bundle.origin == "npm":
            print(f"{bundle.package}@{bundle.version}", file=sys.stderr)
            manifest[bundle.package] = fetch(bundle)
    (VENDOR_DIR / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
