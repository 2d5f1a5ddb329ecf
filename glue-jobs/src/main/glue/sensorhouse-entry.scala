// The job script of every Sensorhouse AWS Glue job (the jobs' Command.ScriptLocation).
//
// A Glue job of language scala compiles its script and then runs the class named by the job argument
// --class. Sensorhouse's jobs name dev.sensorhouse.cli.Main, which comes from the job jar given in
// --extra-jars (sensorhouse-glue.jar, first on the classpath with --user-jars-first true), so this script
// defines nothing: the command and its options are the job's arguments (--command NAME --lake ...).
