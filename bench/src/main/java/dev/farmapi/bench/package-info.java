/** Benchmarks of the farm server and the apiclient library, against the disk and the peers. */
package dev.farmapi.bench;
