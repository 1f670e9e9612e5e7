/**
 * JMH micro-benchmarks of the pure hot parts of the upload path: Content-Range parsing,
 * multipart parsing, hashing while streaming and the server's body copy. Build with
 * {@code mvn -B -q -pl bench -am -DskipTests package}, run with
 * {@code java -cp bench/target/bench.jar org.openjdk.jmh.Main -f 1 -wi 3 -i 5}; results are in bench/jmh-results.md.
 */
package dev.farmapi.bench.jmh;
