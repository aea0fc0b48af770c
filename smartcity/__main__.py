from smartcity.cli import app

app(prog_name="smartcity")
