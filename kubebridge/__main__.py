import sys

from kubebridge.cli.main import main

sys.exit(main())
