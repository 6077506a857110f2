"""Makes ``python -m mlproject ...`` run the command line."""

from mlproject.cli import main

raise SystemExit(main())
