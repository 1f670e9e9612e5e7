#!/usr/bin/env bash
# Makes the class-data-sharing archive of the client commands next to farm.jar (mvn package runs
# it): CdsTraining under -XX:ArchiveClassesAtExit, with the launcher's client options, and a
# stamp naming the JDK that made it, which the launcher compares before using the archive (an
# archive from another JDK would make java fail). Failing here only costs start-up time, so it
# never fails the build.
set -u
jar=$(readlink -f "$1")
dir=$(dirname "$jar")
here=$(dirname "$(readlink -f "$0")")
rm -f "$dir/farm.jsa" "$dir/farm.jsa.stamp"
java_bin=$(readlink -f "$(command -v java)")
if java @"$here/client.jvmopts" -XX:ArchiveClassesAtExit="$dir/farm.jsa" -Xlog:cds=off \
    -Xlog:cds+dynamic=off -cp "$jar" dev.farmapi.cli.CdsTraining "$jar" >"$dir/cds-training.log" 2>&1 \
    && [ -s "$dir/farm.jsa" ]; then
  "$here/jdk-stamp.sh" "$java_bin" "$jar" >"$dir/farm.jsa.stamp"
  echo "CDS archive for client commands: $dir/farm.jsa"
else
  rm -f "$dir/farm.jsa"
  echo "no CDS archive (see $dir/cds-training.log): the farm launcher runs without it"
fi
exit 0
