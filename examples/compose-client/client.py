"""Compose example client: waits for the emulator, then writes and reads an item over HTTPS.

It trusts only the emulator's certificate (EDGEKV_CA), checks the hostname of EDGEKV_URL against
it, and signs with the development credentials of /edgerc (section [default], host replaced).
"""
import os
import sys
import time

import requests
from akamai.edgegrid import EdgeGridAuth, EdgeRc

URL = os.environ.get("EDGEKV_URL", "https://edgekv:8443")
CA = os.environ.get("EDGEKV_CA", "/data/cert.pem")
SECRET = os.environ.get("EDGEKV_ADMIN_SECRET", "")


def wait_ready(deadline_s=60):
    """The certificate appears in the volume on the emulator's first start; then /_emulator/ready."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            if os.path.exists(CA) and requests.get(f"{URL}/_emulator/ready", verify=CA, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > end:
            sys.exit(f"client: {URL} not ready after {deadline_s} s")
        time.sleep(0.5)


def main():
    wait_ready()
    edgerc = EdgeRc("/edgerc")
    edgerc.set("default", "host", URL.split("://", 1)[1])
    session = requests.Session()
    session.auth = EdgeGridAuth.from_edgerc(edgerc, "default")
    session.verify = CA
    item = f"{URL}/edgekv/v1/networks/staging/namespaces/default/groups/compose/items/hello"

    steps = [
        ("GET /edgekv/v1/initialize", session.get(f"{URL}/edgekv/v1/initialize")),
        ("PUT item", session.put(item, data="from the client container",
                                 headers={"Content-Type": "text/plain"})),
        ("GET item", session.get(item)),
        # The control API from another container needs the admin secret.
        ("GET /_emulator/clock", requests.get(f"{URL}/_emulator/clock", verify=CA,
                                              headers={"X-Emulator-Admin-Secret": SECRET})),
        ("GET /_emulator/health", requests.get(f"{URL}/_emulator/health", verify=CA)),
    ]
    for name, res in steps:
        print(f"client: {name} -> {res.status_code} {res.text}", flush=True)
    if any(not res.ok for _, res in steps):
        sys.exit(1)
    print("client: ok", flush=True)


if __name__ == "__main__":
    main()
