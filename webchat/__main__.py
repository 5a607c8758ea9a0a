from webchat.app import main

main()
