"""Each ScenarioChecks class runs its checks once per scenario it names."""


def pytest_generate_tests(metafunc):
    if "scenario" in metafunc.fixturenames and metafunc.cls is not None:
        metafunc.parametrize("scenario", metafunc.cls.SCENARIOS)
