"""A virus-scan hook for the tests: refuses every file."""


def refuse_everything(file, name):
    assert file.read(4) == b"%PDF"
    return "EICAR test signature"
