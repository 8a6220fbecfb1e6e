"""The emulator as a server: moto's responses with the IPAM, RAM and monitoring additions installed, on loopback
in this process."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from moto.ec2.responses import EC2Response
from moto.organizations.models import FakeDelegatedAdministrator, OrganizationsBackend
from moto.ram import urls
from moto.ram.responses import ResourceAccessManagerResponse
from moto.server import ThreadedMotoServer
from moto.ssm.models import SimpleSystemManagerBackend

from ipam_org.emulator.ipam import (
    RAM_PATHS,
    IpamResponses,
    RamResponses,
    _attach_policy,
    _create_policy,
    _shared_parameter,
)
from ipam_org.emulator.monitoring import MonitoringResponses
from ipam_org.emulator.moto_server import free_port


def install() -> None:
    """Add the IPAM and RAM actions to moto's responses (idempotent)."""
    if IpamResponses in EC2Response.__bases__:
        return
    OrganizationsBackend.attach_policy = _attach_policy(OrganizationsBackend.attach_policy)
    OrganizationsBackend.create_policy = _create_policy(OrganizationsBackend.create_policy)
    SimpleSystemManagerBackend.get_parameter = _shared_parameter(SimpleSystemManagerBackend.get_parameter)
    EC2Response.__bases__ = (MonitoringResponses, IpamResponses, *EC2Response.__bases__)
    for name, method in vars(RamResponses).items():  # moto defines some of these on the class itself
        if callable(method):
            setattr(ResourceAccessManagerResponse, name, method)
    for path in RAM_PATHS:
        urls.url_paths[f"{{0}}/{path}$"] = ResourceAccessManagerResponse.dispatch
    if "ipam.amazonaws.com" not in FakeDelegatedAdministrator.SUPPORTED_SERVICES:
        FakeDelegatedAdministrator.SUPPORTED_SERVICES.append("ipam.amazonaws.com")


@contextmanager
def emulator(port: int | None = None) -> Iterator[str]:
    """moto with the IPAM extension on a loopback port (a free one by default), in this process; yields its URL."""
    install()
    port = port or free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()
