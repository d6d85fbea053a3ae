from coreduce.cli.main import main

main()
