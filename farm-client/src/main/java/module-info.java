/** The typed Java client of the Farm API: {@code Farm.connect(uri, key).animals().insert(...)}. */
module dev.farmapi.farm {
  requires transitive dev.farmapi.apiclient;
  requires com.fasterxml.jackson.datatype.jsr310;

  exports dev.farmapi.farm;
  // Jackson binds the Animal records by reflection.
  opens dev.farmapi.farm to com.fasterxml.jackson.databind;
}
