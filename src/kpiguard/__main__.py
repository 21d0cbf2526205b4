from kpiguard.cli.main import run

run()
