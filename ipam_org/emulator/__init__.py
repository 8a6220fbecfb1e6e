"""An AWS emulator for trying ipam-org and for its tests: moto on loopback, plus the EC2 IPAM actions, RAM
shares and Organizations rules moto lacks (ipam), what IPAM monitors (monitoring) and the server that runs
them (server); each rule cites the AWS documentation behind it. Needs the `emulator` extra (moto); nothing else
in the package imports it."""
