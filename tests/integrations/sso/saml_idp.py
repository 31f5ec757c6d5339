"""A real SAML 2.0 identity provider on a local port: pysaml2's `saml2.server.Server` (which
parses the authentication requests and writes and signs the responses, with the `xmlsec1`
tool) behind the smallest WSGI app that serves it, the way pysaml2's own example IdP does.

Like an organization's IT department, a test tells it who its people are (`person`) and
which service providers it trusts (`trust`: our metadata page's XML). Its sign-in form asks
only for the user name: the provider vouches for whoever is picked there.
"""

from __future__ import annotations

import datetime
import html
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.s_utils import decode_base64_and_inflate
from saml2.saml import AUTHN_PASSWORD, NAME_FORMAT_URI, NAMEID_FORMAT_EMAILADDRESS, NameID
from saml2.samlp import AuthnRequest, authn_request_from_string
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

StartResponse = Any


def write_key_and_certificate(folder: Path, name: str, *, host: bool = False) -> tuple[Path, Path]:
    """A fresh RSA key and a self-signed certificate for it, as PEM files. `host`: a TLS
    server certificate for the host name `name` (its own authority), trusted by pointing a
    client at the certificate file."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.datetime.now(datetime.UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
    )
    if host:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False
        ).add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
    certificate = builder.sign(key, hashes.SHA256())
    key_file, cert_file = folder / f"{name}.key", folder / f"{name}.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@dataclass
class IdentityProvider:
    """One running provider: its addresses, its people, and pysaml2's server."""

    url: str
    entity_id: str
    server: Server
    people: dict[str, str] = field(default_factory=dict)  # user name -> email address
    # A forger answers requests addressed to another provider too (pysaml2 refuses them).
    answers_any_request: bool = False
    # Its metadata address answers 503 (a provider's web server down, its sign-in up).
    metadata_down: bool = False

    @property
    def metadata_url(self) -> str:
        return f"{self.url}/metadata"

    def metadata(self) -> str:
        xml = create_metadata_string(None, config=self.server.config, valid=24)
        return xml.decode() if isinstance(xml, bytes) else str(xml)

    def person(self, username: str, email: str) -> str:
        self.people[username] = email
        return username

    def trust(self, service_provider_metadata: str) -> None:
        """Register a service provider (its metadata XML), as the IdP's administrator does."""
        self.server.metadata.load("inline", service_provider_metadata)

    @contextmanager
    def answering_any_request(self) -> Iterator[None]:
        self.answers_any_request = True
        try:
            yield
        finally:
            self.answers_any_request = False

    def _request(self, saml_request: str) -> AuthnRequest:
        if self.answers_any_request:
            request = authn_request_from_string(decode_base64_and_inflate(saml_request))
            assert request is not None
            return request
        return self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message

    # The WSGI app -------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        if path == "/metadata" and self.metadata_down:
            return self._answer(start_response, "503 Service Unavailable", "down", "text/plain")
        if path == "/metadata":
            return self._answer(start_response, "200 OK", self.metadata(), "text/xml")
        if path == "/sso/redirect" and method == "GET":
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            return self._answer(start_response, "200 OK", self._sign_in_form(query))
        if path == "/sso/login" and method == "POST":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            form = {
                k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode()).items()
            }
            return self._signed_in(start_response, form)
        return self._answer(start_response, "404 Not Found", "not found", "text/plain")

    def _answer(
        self, start_response: StartResponse, status: str, body: str, kind: str = "text/html"
    ) -> list[bytes]:
        start_response(status, [("Content-Type", f"{kind}; charset=utf-8")])
        return [body.encode()]

    def _sign_in_form(self, query: dict[str, str]) -> str:
        hidden = "".join(
            f'<input type="hidden" name="{name}" value="{html.escape(query.get(name, ""))}">'
            for name in ("SAMLRequest", "RelayState")
        )
        return (
            "<!doctype html><title>Identity provider</title><h1>Identity provider</h1>"
            f'<form method="post" action="{self.url}/sso/login">{hidden}'
            '<label>User <input name="username"></label>'
            '<button type="submit">Sign in</button></form>'
        )

    def _response_arguments(self, form: dict[str, str]) -> dict[str, Any]:
        if "SAMLRequest" in form:
            return dict(
                self.server.response_args(self._request(form["SAMLRequest"]), [BINDING_HTTP_POST])
            )
        # Signing in from the provider's own portal ("IdP-initiated"): an answer nobody
        # asked for, sent to the service provider `sp`'s registered ACS.
        services = self.server.metadata.assertion_consumer_service(form["sp"], BINDING_HTTP_POST)
        return {
            "in_response_to": None,
            "destination": services[0]["location"],
            "sp_entity_id": form["sp"],
            "name_id_policy": None,
        }

    def _signed_in(self, start_response: StartResponse, form: dict[str, str]) -> list[bytes]:
        email = self.people.get(form.get("username", ""))
        if email is None:
            return self._answer(start_response, "403 Forbidden", "unknown user", "text/plain")
        arguments = self._response_arguments(form)
        response = self.server.create_authn_response(
            identity={"mail": [email]},
            userid=email,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=email),
            authn={"class_ref": AUTHN_PASSWORD, "authn_auth": self.entity_id},
            sign_response=True,
            sign_assertion=True,
            sign_alg=SIG_RSA_SHA256,  # pysaml2's default, SHA-1, is refused (rightly)
            digest_alg=DIGEST_SHA256,
            **arguments,
        )
        posted = self.server.apply_binding(
            BINDING_HTTP_POST,
            str(response),
            arguments["destination"],
            form.get("RelayState", ""),
            response=True,
        )
        return self._answer(start_response, "200 OK", posted["data"])


def _config(
    *, url: str, entity_id: str, key_file: Path, cert_file: Path, encryption: list[dict[str, str]]
) -> IdPConfig:
    config = IdPConfig()
    config.load(
        {
            "entityid": entity_id,
            "key_file": str(key_file),
            "cert_file": str(cert_file),
            "encryption_keypairs": encryption,
            "metadata": {},
            "service": {
                "idp": {
                    "name": "Test identity provider",
                    "endpoints": {
                        "single_sign_on_service": [(f"{url}/sso/redirect", BINDING_HTTP_REDIRECT)]
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "policy": {
                        "default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_URI}
                    },
                }
            },
        }
    )
    return config


@contextmanager
def running_identity_provider(
    folder: Path, name: str, *, entity_id: str | None = None, encryption_key: bool = False
) -> Iterator[IdentityProvider]:
    """Start a provider on a free local port (its own key); `entity_id` lets a second one
    claim to be the first, as a forger would; `encryption_key`: its metadata also lists a
    separate encryption certificate, as AD FS's does."""
    server: WSGIServer = make_server("127.0.0.1", 0, lambda e, s: [], handler_class=QuietHandler)
    url = f"http://127.0.0.1:{server.server_port}"
    key_file, cert_file = write_key_and_certificate(folder, name)
    entity = entity_id or f"{url}/metadata"
    encryption = []
    if encryption_key:
        private, public = write_key_and_certificate(folder, f"{name}-encryption")
        encryption = [{"key_file": str(private), "cert_file": str(public)}]
    config = _config(
        url=url, entity_id=entity, key_file=key_file, cert_file=cert_file, encryption=encryption
    )
    provider = IdentityProvider(url=url, entity_id=entity, server=Server(config=config))
    server.set_app(provider)
    thread = threading.Thread(target=server.serve_forever, name=f"saml-idp-{name}", daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
