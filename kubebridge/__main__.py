import sys

from kubebridge.cli import main

sys.exit(main())
