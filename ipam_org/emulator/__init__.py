"""An AWS emulator for trying ipam-org and for its tests: moto on loopback, plus the EC2 IPAM actions, RAM
shares and Organizations rules moto lacks (ipam_org.emulator.ipam cites the AWS documentation behind each).
Needs the `emulator` extra (moto); nothing else in the package imports it."""
