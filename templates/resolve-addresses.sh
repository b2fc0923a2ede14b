#!/bin/bash
# acr-xaccount: how this VPC resolves the registry's auth-service and OSS domains (reads only, changes nothing).
getent hosts {{authDomain}} || true
getent hosts {{ossDomain}} || true
