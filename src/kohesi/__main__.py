from kohesi.cli import main

main()
