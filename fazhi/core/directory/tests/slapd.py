"""A real OpenLDAP server for the tests: Debian's slapd on a free loopback port, configured from a
temporary slapd.conf (mdb backend), loaded from directory.ldif, with StartTLS on a certificate
made for the run. Each pytest-xdist worker starts its own."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import ldap
import ldap.modlist
from ldif import LDIFRecordList

SUFFIX = "dc=fazhi,dc=test"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "admin-password"
READER_DN = f"cn=reader,{SUFFIX}"
READER_PASSWORD = "reader-password"
PASSWORD = "directory-password-2026"
LDIF = Path(__file__).parent / "data" / "directory.ldif"
SCHEMAS = ("core", "cosine", "inetorgperson")

CONFIG = """\
{includes}
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {root}/slapd.pid
TLSCertificateFile {root}/server.crt
TLSCertificateKeyFile {root}/server.key
# Passwords are only compared at bind; entries are read by signed-in accounts (the search
# account), not anonymously, so the tests show the bind DN setting at work.
access to attrs=userPassword by anonymous auth by * none
access to * by users read by anonymous auth
database mdb
suffix "{suffix}"
rootdn "{admin}"
rootpw {password}
directory {root}/data
maxsize 16777216
"""


def find_slapd() -> str | None:
    return shutil.which("slapd") or shutil.which("slapd", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def group_dn(name: str) -> str:
    return f"cn={name},ou=groups,{SUFFIX}"


def person_dn(uid: str) -> str:
    return f"uid={uid},ou=people,{SUFFIX}"


class Slapd:
    def __init__(self, binary: str, root: Path) -> None:
        self.binary = binary
        self.root = root
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None
        self._log: Any = None

    @property
    def uri(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ca_file(self) -> Path:
        return self.root / "server.crt"  # self-signed: the certificate is its own CA

    def start(self) -> None:
        self._make_certificate()
        includes = "\n".join(f"include /etc/ldap/schema/{s}.schema" for s in SCHEMAS)
        (self.root / "slapd.conf").write_text(
            CONFIG.format(
                includes=includes,
                root=self.root,
                suffix=SUFFIX,
                admin=ADMIN_DN,
                password=ADMIN_PASSWORD,
            )
        )
        (self.root / "data").mkdir()
        self._run("slapadd", "-f", str(self.root / "slapd.conf"), "-l", str(LDIF))
        for _attempt in range(3):  # another process may take the free port before slapd binds
            self.port = free_port()
            self._log = (self.root / "slapd.log").open("wb")
            self.process = subprocess.Popen(
                [self.binary, "-d", "0", "-h", f"{self.uri}/", "-f", str(self.root / "slapd.conf")],
                stdout=self._log,
                stderr=subprocess.STDOUT,
            )
            if self._wait_until_listening():
                return
            self.stop()
        raise RuntimeError("slapd did not start: " + (self.root / "slapd.log").read_text())

    def _run(self, tool: str, *args: str) -> None:
        binary = str(Path(self.binary).with_name(tool))
        subprocess.run([binary, *args], check=True, capture_output=True)

    def _make_certificate(self) -> None:
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", str(self.root / "server.key"), "-out", str(self.root / "server.crt"),
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip

    def _wait_until_listening(self) -> bool:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.5).close()
                return True
            except OSError:
                time.sleep(0.05)
        return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self._log is not None:
            self._log.close()
            self._log = None

    def admin(self) -> Any:
        conn = ldap.initialize(self.uri)
        conn.simple_bind_s(ADMIN_DN, ADMIN_PASSWORD)
        return conn

    def reset(self) -> None:
        """Back to directory.ldif: tests change members and names."""
        conn = self.admin()
        try:
            found = conn.search_s(SUFFIX, ldap.SCOPE_SUBTREE, "(objectClass=*)", ["1.1"])
            # Children before their parents: the longest DNs first.
            for dn, _ in sorted(found, key=lambda r: -len(ldap.dn.str2dn(r[0]))):
                if dn.lower() != SUFFIX:
                    conn.delete_s(dn)
            with LDIF.open("rb") as f:
                records = LDIFRecordList(f)
                records.parse()
            for dn, entry in records.all_records:
                if dn.lower() != SUFFIX:
                    conn.add_s(dn, ldap.modlist.addModlist(entry))
        finally:
            conn.unbind_s()

    def modify(self, dn: str, op: int, attr: str, values: list[str] | None) -> None:
        conn = self.admin()
        try:
            encoded = [v.encode() for v in values] if values is not None else None
            conn.modify_s(dn, [(op, attr, encoded)])
        finally:
            conn.unbind_s()

    def remove_member(self, group: str, uid: str) -> None:
        self.modify(group_dn(group), ldap.MOD_DELETE, "member", [person_dn(uid)])

    def add_member(self, group: str, uid: str) -> None:
        self.modify(group_dn(group), ldap.MOD_ADD, "member", [person_dn(uid)])

    def env(self, **overrides: str) -> dict[str, str]:
        """The deployment's environment for this server (what an operator would set)."""
        return {
            "FAZHI_LDAP_URI": self.uri,
            "FAZHI_LDAP_BIND_DN": READER_DN,
            "FAZHI_LDAP_BIND_PASSWORD": READER_PASSWORD,
            "FAZHI_LDAP_USER_SEARCH_BASE": f"ou=people,{SUFFIX}",
            "FAZHI_LDAP_GROUP_SEARCH_BASE": f"ou=groups,{SUFFIX}",
            "FAZHI_LDAP_ROLE_MAP": ROLE_MAP,
            **overrides,
        }


# The district supervisors come before B1's clerks: a member of both belongs to the district.
ROLE_MAP = (
    "{"
    f'"{group_dn("a1-leaders")}": ["A1", "leader"], '
    f'"{group_dn("a1-clerks")}": ["A1", "clerk"], '
    f'"{group_dn("district-supervisors")}": ["D1", "supervisor"], '
    f'"{group_dn("b1-clerks")}": ["B1", "clerk"]'
    "}"
)
