"""python -m ipam_org: the ipam-org command line."""

from ipam_org.cli import run

run()
