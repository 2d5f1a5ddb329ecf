package dev.sensorhouse.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.sensorhouse.testing.ChildProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The AWS deployment in {@code glue-jobs/cloudformation/sensorhouse.yaml}, checked where cfn-lint does
 * not look: each Glue job runs a command this jar has, with only options that command (or Glue itself)
 * accepts; the workflow's triggers name jobs of the template and chain dimensions and cleanse, rollup,
 * load-warehouse on SUCCEEDED; no IAM statement grants S3, KMS, Kinesis or Secrets Manager actions on a
 * wildcard resource; and the storage is encrypted and closed as the README says. cfn-lint itself runs
 * in {@link #cfnLintPassesOnTheTemplate}.
 */
class CloudFormationTemplateTest {
    private static final Path TEMPLATE = repositoryRoot().resolve("glue-jobs/cloudformation/sensorhouse.yaml");
    private static final JsonNode RESOURCES = template().path("Resources");
    private static final Set<String> GUARDED_SERVICES = Set.of("s3", "kms", "kinesis", "secretsmanager");
    private static final Pattern SHORT_FORM_TAG = Pattern.compile(
            "(^|[\\s:\\[,])!(Ref|Sub|GetAtt|Join|If|Not|Equals|And|Or|Select|Split|FindInMap|Base64|Cidr|ImportValue|GetAZs|Condition)\\b",
            Pattern.MULTILINE);

    static Stream<String> jobs() {
        return resources("AWS::Glue::Job").keySet().stream();
    }

    @Test
    void cfnLintPassesOnTheTemplate() {
        try (ChildProcess lint = ChildProcess.start(
                List.of("cfn-lint", "--format", "parseable", TEMPLATE.toString()), TEMPLATE.getParent(), Map.of())) {
            assertThat(lint.waitFor(Duration.ofMinutes(3)))
                    .as("cfn-lint findings (tests/run.sh installs cfn-lint)\n%s", lint.describe())
                    .isZero();
        } catch (java.io.UncheckedIOException notInstalled) {
            throw new AssertionError(
                    "cfn-lint is not installed: tests/run.sh installs it (pip install cfn-lint)", notInstalled);
        }
    }

    @Test
    void theTemplateUsesLongFormIntrinsicsOnly() throws IOException {
        assertThat(SHORT_FORM_TAG.matcher(Files.readString(TEMPLATE)).find())
                .as("a short-form tag such as !Sub in %s", TEMPLATE)
                .isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jobs")
    void eachJobRunsACommandOfThisJarWithOptionsItAccepts(String resource) {
        JsonNode job = RESOURCES.path(resource).path("Properties");
        JsonNode defaults = job.path("DefaultArguments");
        String command = defaults.path("--command").asText(null);

        assertThat(command).as("%s: DefaultArguments --command", resource).isNotNull();
        Map<String, Command> commands = new LinkedHashMap<>();
        Main.COMMANDS.forEach(c -> commands.put(c.name(), c));
        assertThat(commands)
                .as("%s names command %s; this jar has %s", resource, command, commands.keySet())
                .containsKey(command);
        assertThat(text(job.path("Name"))).as("%s: job name", resource).isEqualTo("${NamePrefix}-" + command);
        assertThat(text(job.path("GlueVersion"))).isEqualTo("5.1");
        assertThat(text(defaults.path("--job-language"))).isEqualTo("scala");
        assertThat(text(defaults.path("--class"))).isEqualTo(Main.class.getName());
        assertThat(text(defaults.path("--extra-jars"))).endsWith("/sensorhouse-glue.jar");
        assertThat(text(defaults.path("--user-jars-first"))).isEqualTo("true");
        assertThat(text(defaults.path("--datalake-formats")))
                .as("the Glue jar leaves Delta to Glue")
                .isEqualTo("delta");
        assertThat(text(defaults.path("--job-bookmark-option")))
                .as("Glue bookmarks need GlueContext sources; control/job_runs keeps the bookmarks")
                .isEqualTo("job-bookmark-disable");

        Command c = commands.get(command);
        Set<String> options = new java.util.HashSet<>();
        c.options().forEach(o -> options.add(o.name()));
        List<String> args = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = defaults.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey().substring(2);
            if (name.equals("command")) {
                continue;
            }
            assertThat(options.contains(name) || Options.GLUE_SYSTEM_ARGUMENTS.contains(name))
                    .as(
                            "%s: --%s is neither an option of '%s' (%s) nor a Glue job parameter",
                            resource, name, command, options)
                    .isTrue();
            args.add(e.getKey());
            args.add(text(e.getValue()));
        }
        Options parsed = Options.parse(command, c.options(), args.toArray(String[]::new));
        assertThat(parsed.string("lake")).isEqualTo("s3://${LakeBucket}/${LakePrefix}");
    }

    @Test
    void theScheduledTriggerStartsDimensionsAndEachSuccessStartsTheNextStage() {
        Map<String, JsonNode> triggers = resources("AWS::Glue::Trigger");
        Map<String, String> commandOfJob = new LinkedHashMap<>();
        resources("AWS::Glue::Job")
                .forEach((id, job) -> commandOfJob.put(
                        id,
                        job.path("Properties")
                                .path("DefaultArguments")
                                .path("--command")
                                .asText()));
        Map<String, List<String>> startedBy = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> t : triggers.entrySet()) {
            JsonNode p = t.getValue().path("Properties");
            assertThat(p.path("WorkflowName").path("Ref").asText())
                    .as("%s belongs to the workflow", t.getKey())
                    .isEqualTo("HourlyWorkflow");
            List<String> actions = new ArrayList<>();
            for (JsonNode a : p.path("Actions")) {
                actions.add(commandOf(t.getKey(), a.path("JobName"), commandOfJob));
            }
            List<String> conditions = new ArrayList<>();
            for (JsonNode condition : p.path("Predicate").path("Conditions")) {
                assertThat(condition.path("State").asText()).isEqualTo("SUCCEEDED");
                assertThat(condition.path("LogicalOperator").asText()).isEqualTo("EQUALS");
                conditions.add(commandOf(t.getKey(), condition.path("JobName"), commandOfJob));
            }
            String key = p.path("Type").asText() + (conditions.isEmpty() ? "" : " after " + conditions);
            startedBy.put(key, actions);
        }

        assertThat(startedBy)
                .containsOnlyKeys(
                        "SCHEDULED",
                        "CONDITIONAL after [dimensions]",
                        "CONDITIONAL after [cleanse]",
                        "CONDITIONAL after [rollup]")
                .containsEntry("SCHEDULED", List.of("dimensions"))
                .containsEntry("CONDITIONAL after [dimensions]", List.of("cleanse"))
                .containsEntry("CONDITIONAL after [cleanse]", List.of("rollup"))
                .containsEntry("CONDITIONAL after [rollup]", List.of("load-warehouse", "register-catalog"));
        assertThat(text(triggers.get("HourlyStart").path("Properties").path("Schedule")))
                .isEqualTo("${HourlySchedule}");
        assertThat(template()
                        .path("Parameters")
                        .path("HourlySchedule")
                        .path("Default")
                        .asText())
                .matches("cron\\(\\d+ \\* \\* \\* \\? \\*\\)");
    }

    @Test
    void noIamStatementGrantsS3KmsKinesisOrSecretsManagerOnAWildcardResource() {
        List<String> statements = new ArrayList<>();
        List<String> findings = new ArrayList<>();
        for (String type : List.of("AWS::IAM::Role", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")) {
            resources(type).forEach((id, r) -> {
                JsonNode p = r.path("Properties");
                List<JsonNode> documents = new ArrayList<>();
                p.path("Policies").forEach(policy -> documents.add(policy.path("PolicyDocument")));
                if (p.has("PolicyDocument")) {
                    documents.add(p.path("PolicyDocument"));
                }
                for (JsonNode document : documents) {
                    for (JsonNode statement : document.path("Statement")) {
                        statements.add(id + "/" + statement.path("Sid").asText());
                        findings.addAll(wildcardFindings(id, statement));
                    }
                }
            });
        }

        assertThat(statements).as("IAM statements checked").hasSizeGreaterThan(20);
        assertThat(findings).isEmpty();
    }

    @Test
    void theWildcardCheckFindsWhatItMustFind() {
        ObjectMapper json = new ObjectMapper();
        JsonNode star = json.createObjectNode()
                .put("Sid", "Bad")
                .put("Effect", "Allow")
                .put("Action", "s3:GetObject")
                .put("Resource", "*");
        JsonNode bucketWide = json.createObjectNode()
                .put("Sid", "AlsoBad")
                .put("Effect", "Allow")
                .set("Action", json.createArrayNode().add("logs:PutLogEvents").add("kinesis:GetRecords"));
        ((com.fasterxml.jackson.databind.node.ObjectNode) bucketWide).put("Resource", "arn:aws:kinesis:eu-west-1:1:*");
        JsonNode notResource = json.createObjectNode()
                .put("Sid", "NotResource")
                .put("Effect", "Allow")
                .put("Action", "secretsmanager:GetSecretValue")
                .put("NotResource", "arn:aws:secretsmanager:eu-west-1:1:secret:x");
        JsonNode fine = json.createObjectNode()
                .put("Sid", "Fine")
                .put("Effect", "Allow")
                .put("Action", "cloudwatch:PutMetricData")
                .put("Resource", "*");

        assertThat(wildcardFindings("R", star)).hasSize(1);
        assertThat(wildcardFindings("R", bucketWide)).hasSize(1);
        assertThat(wildcardFindings("R", notResource)).hasSize(1);
        assertThat(wildcardFindings("R", fine)).isEmpty();
    }

    @Test
    void theLakeIsEncryptedWithItsOwnKeyClosedToThePublicTlsOnlyAndExpiresTheRawZone() {
        JsonNode bucket = RESOURCES.path("LakeBucket").path("Properties");
        JsonNode sse = bucket.path("BucketEncryption")
                .path("ServerSideEncryptionConfiguration")
                .path(0)
                .path("ServerSideEncryptionByDefault");
        assertThat(sse.path("SSEAlgorithm").asText()).isEqualTo("aws:kms");
        assertThat(text(sse.path("KMSMasterKeyID"))).isEqualTo("${LakeKey.Arn}");
        assertThat(RESOURCES
                        .path("LakeKey")
                        .path("Properties")
                        .path("EnableKeyRotation")
                        .asBoolean())
                .isTrue();
        JsonNode block = bucket.path("PublicAccessBlockConfiguration");
        for (String setting :
                List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(setting).asBoolean()).as(setting).isTrue();
        }
        JsonNode tls = RESOURCES
                .path("LakeBucketPolicy")
                .path("Properties")
                .path("PolicyDocument")
                .path("Statement")
                .path(0);
        assertThat(tls.path("Effect").asText()).isEqualTo("Deny");
        assertThat(tls.path("Condition")
                        .path("Bool")
                        .path("aws:SecureTransport")
                        .asText())
                .isEqualTo("false");
        List<String> expiring = new ArrayList<>();
        bucket.path("LifecycleConfiguration").path("Rules").forEach(rule -> {
            if (rule.has("ExpirationInDays")) {
                expiring.add(text(rule.path("Prefix")) + " after " + text(rule.path("ExpirationInDays")));
            }
        });
        assertThat(expiring).contains("${LakePrefix}/raw/ after ${RawRetentionDays}");

        JsonNode stream = RESOURCES.path("EventStream").path("Properties");
        assertThat(stream.path("StreamModeDetails").path("StreamMode").asText()).isEqualTo("ON_DEMAND");
        assertThat(stream.path("StreamEncryption").path("EncryptionType").asText())
                .isEqualTo("KMS");
        JsonNode connection =
                RESOURCES.path("RedshiftConnection").path("Properties").path("ConnectionInput");
        assertThat(text(connection.path("ConnectionProperties").path("SECRET_ID")))
                .isEqualTo("${WarehouseSecret}");
        assertThat(connection.path("ConnectionProperties").has("PASSWORD")).isFalse();
    }

    @Test
    void alarmsWatchFailedRunsTheIteratorAgeAndIncomingRecordsBelowTheBaseline() {
        Map<String, String> watched = new LinkedHashMap<>();
        resources("AWS::CloudWatch::Alarm").forEach((id, alarm) -> {
            JsonNode p = alarm.path("Properties");
            watched.put(
                    p.path("Namespace").asText() + " " + p.path("MetricName").asText(),
                    p.path("ComparisonOperator").asText());
        });

        assertThat(watched)
                .containsEntry("AWS/Events TriggeredRules", "GreaterThanOrEqualToThreshold")
                .containsEntry("AWS/Kinesis GetRecords.IteratorAgeMilliseconds", "GreaterThanThreshold")
                .containsEntry("AWS/Kinesis IncomingRecords", "LessThanThreshold");
        JsonNode rule = RESOURCES.path("FailedJobRunRule").path("Properties").path("EventPattern");
        List<String> watchedJobs = new ArrayList<>();
        rule.path("detail").path("jobName").forEach(n -> watchedJobs.add(text(n)));
        List<String> definedJobs = new ArrayList<>();
        resources("AWS::Glue::Job")
                .values()
                .forEach(j -> definedJobs.add(text(j.path("Properties").path("Name"))));
        assertThat(watchedJobs).containsExactlyInAnyOrderElementsOf(definedJobs);
    }

    /** Statements that allow a guarded service's action on {@code *} or a whole-service ARN, or use NotAction/NotResource. */
    static List<String> wildcardFindings(String resourceId, JsonNode statement) {
        List<String> out = new ArrayList<>();
        String where = resourceId + "/" + statement.path("Sid").asText("(no Sid)");
        if (statement.has("NotAction") || statement.has("NotResource")) {
            out.add(where + ": NotAction/NotResource");
            return out;
        }
        boolean guarded = false;
        for (JsonNode action : list(statement.path("Action"))) {
            String service = action.asText().contains(":")
                    ? action.asText().substring(0, action.asText().indexOf(':'))
                    : action.asText();
            guarded |= GUARDED_SERVICES.contains(service) || service.equals("*");
        }
        if (!guarded) {
            return out;
        }
        for (JsonNode resource : list(statement.path("Resource"))) {
            String r = text(resource);
            if (r.equals("*") || r.matches("arn:[^:]*:[^:]*:[^:]*:[^:]*:\\*") || r.matches("arn:[^:]*:s3:::\\*.*")) {
                out.add(where + ": " + r);
            }
        }
        return out;
    }

    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(out::add);
        } else if (!node.isMissingNode()) {
            out.add(node);
        }
        return out;
    }

    /** The command of the job a trigger names (a Ref to a job resource of this template). */
    private static String commandOf(String trigger, JsonNode jobName, Map<String, String> commandOfJob) {
        String ref = jobName.path("Ref").asText(null);
        assertThat(ref)
                .as("%s names its job by Ref to a Glue job of the template: %s", trigger, jobName)
                .isNotNull();
        assertThat(commandOfJob).as("%s names %s", trigger, ref).containsKey(ref);
        return commandOfJob.get(ref);
    }

    /** A value as text: plain scalars as they are, intrinsics as ${...} (Ref X, Fn::GetAtt [X, Y], Fn::Sub S). */
    static String text(JsonNode v) {
        if (v.isTextual() || v.isNumber() || v.isBoolean()) {
            return v.asText();
        }
        if (v.has("Ref")) {
            return "${" + v.path("Ref").asText() + "}";
        }
        if (v.has("Fn::GetAtt")) {
            return "${" + v.path("Fn::GetAtt").path(0).asText() + "."
                    + v.path("Fn::GetAtt").path(1).asText() + "}";
        }
        if (v.has("Fn::Sub")) {
            JsonNode sub = v.path("Fn::Sub");
            return sub.isArray() ? sub.path(0).asText() : sub.asText();
        }
        return v.toString();
    }

    private static Map<String, JsonNode> resources(String type) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        RESOURCES.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals(type)) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    private static JsonNode template() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
        } catch (IOException e) {
            throw new AssertionError("cannot parse " + TEMPLATE, e);
        }
    }

    private static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("glue-jobs")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException(
                "no repository root above " + Path.of("").toAbsolutePath());
    }
}
