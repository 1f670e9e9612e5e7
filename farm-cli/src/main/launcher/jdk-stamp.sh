#!/usr/bin/env sh
# Prints what a CDS archive depends on: the java binary, its runtime version (the JDK's
# release file) and the jar (path, size, time). The build writes it; the farm launcher
# compares it with the same line for the java and jar at hand.
java_bin=$1
jar=$2
home=${java_bin%/bin/java}
version=$(grep '^JAVA_RUNTIME_VERSION=' "$home/release" 2>/dev/null)
echo "$java_bin $version $(stat -c '%s %Y' "$jar" 2>/dev/null) $jar"
