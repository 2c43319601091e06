// Tests for parsing, validating and serializing manifests (ManifestParser, ManifestWriter, Duration).
#include "config/Duration.h"
#include "config/ManifestParser.h"
#include "config/ManifestWriter.h"
#include "config/ResourceKind.h"

#include "TestSupport.h"

#include <QJsonArray>
#include <QtTest>

#include <chrono>
#include <future>
#include <memory>
#include <thread>

using namespace Qt::StringLiterals;
using namespace quarry::config;

class TestConfigManifests : public QObject
{
    Q_OBJECT

private:
    static QList<Resource> parseOk(const QByteArray &yaml)
    {
        const auto result = parseManifests(yaml);
        if (!result.ok())
            qWarning().noquote() << result.error();
        return result.ok() ? result.value() : QList<Resource>{};
    }

private slots:
    void seedAgentgatewayBackend()
    {
        const auto resources = parseOk(quarry::test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s));
        QCOMPARE(resources.size(), 1);
        const AiBackend *backend = resources.first().as<AiBackend>();
        QVERIFY(backend);
        QCOMPARE(resources.first().convertedFrom, QString());
        QCOMPARE(backend->apiVersion, u"gateway.kgateway.dev/v1alpha1"_s);
        QCOMPARE(backend->meta.name, u"bedrock"_s);
        QCOMPARE(backend->meta.ns, u"agentgateway-system"_s);
        QVERIFY(backend->provider.has_value());
        QCOMPARE(backend->provider->bedrock.model, u"amazon.titan-text-lite-v1"_s);
        QCOMPARE(backend->provider->bedrock.region, u"us-east-1"_s);
        QCOMPARE(backend->policies.auth.kind, BackendAuth::Kind::SecretRef);
        QCOMPARE(backend->policies.auth.secretName, u"bedrock-secret"_s);
    }

    void seedBackendV21IsConverted()
    {
        const auto v21 = parseOk(quarry::test::readData(u"config/seed-backend-v2.1.yaml"_s));
        const auto v22 = parseOk(quarry::test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s));
        QCOMPARE(v21.size(), 1);
        QCOMPARE(v22.size(), 1);
        QCOMPARE(v21.first().convertedFrom, u"Backend v2.1"_s);
        QCOMPARE(v21.first().kind(), ResourceKind::Backend);
        // The seed doc describes the same backend in both shapes.
        QVERIFY(v21.first().object == v22.first().object);
    }

    void seedHttpRoutes()
    {
        for (const QString &file : {u"config/seed-httproute-v2.1.yaml"_s, u"config/seed-httproute-v2.2.yaml"_s}) {
            const auto resources = parseOk(quarry::test::readData(file));
            QCOMPARE(resources.size(), 1);
            const HttpRoute *route = resources.first().as<HttpRoute>();
            QVERIFY(route);
            QCOMPARE(route->meta.ns, u"agentgateway-system"_s);
            QCOMPARE(route->parentRefs.size(), 1);
            QCOMPARE(route->parentRefs.first().name, u"agentgateway"_s);
            QCOMPARE(route->parentRefs.first().ns, u"agentgateway-system"_s);
            QCOMPARE(route->rules.size(), 1);
            const RouteRule &rule = route->rules.first();
            QCOMPARE(rule.matches.size(), 1);
            QCOMPARE(rule.matches.first().path.type, PathMatch::Type::PathPrefix);
            QCOMPARE(rule.matches.first().path.value, u"/bedrock"_s);
            QCOMPARE(rule.backendRefs.size(), 1);
            QCOMPARE(rule.backendRefs.first().name, u"bedrock"_s);
            QCOMPARE(rule.backendRefs.first().group, u"gateway.kgateway.dev"_s);
            QVERIFY(!rule.backendRefs.first().weight.has_value());
        }
        const auto v22 = parseOk(quarry::test::readData(u"config/seed-httproute-v2.2.yaml"_s));
        QCOMPARE(v22.first().as<HttpRoute>()->rules.first().backendRefs.first().kind,
                 u"AgentgatewayBackend"_s);
    }

    void seedSecret()
    {
        const auto resources = parseOk(quarry::test::readData(u"config/seed-secret-apikey.yaml"_s));
        QCOMPARE(resources.size(), 1);
        const SecretManifest *secret = resources.first().as<SecretManifest>();
        QVERIFY(secret);
        QCOMPARE(secret->meta.name, u"bedrock-secret"_s);
        QCOMPARE(secret->type, u"Opaque"_s);
        QCOMPARE(secret->data.value(u"Authorization"_s), "$BEDROCK_API_KEY"_ba);
    }

    void secretDataIsBase64DecodedAndMergedWithStringData()
    {
        // "c2VjcmV0" is base64 for "secret" (RFC 4648 alphabet).
        const auto resources = parseOk("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                                       "data: {accessKey: c2VjcmV0, secretKey: c2VjcmV0}\n"
                                       "stringData: {secretKey: plain}\n"_ba);
        QCOMPARE(resources.size(), 1);
        const SecretManifest *secret = resources.first().as<SecretManifest>();
        QCOMPARE(secret->data.value(u"accessKey"_s), "secret"_ba);
        QCOMPARE(secret->data.value(u"secretKey"_s), "plain"_ba);
        QCOMPARE(secret->meta.ns, kDefaultNamespace);
    }

    void multiDocumentWithCommentsAndEmptyDocuments()
    {
        QByteArray yaml = "# the whole seed\n---\n"_ba;
        for (const char *file : {"seed-secret-apikey.yaml", "seed-agentgatewaybackend-v2.2.yaml",
                                 "seed-httproute-v2.2.yaml"})
            yaml += quarry::test::readData(u"config/"_s + QLatin1String(file)) + "---\n# empty\n---\n"_ba;
        const auto resources = parseOk(yaml);
        QCOMPARE(resources.size(), 3);
        QCOMPARE(resources.at(0).kind(), ResourceKind::Secret);
        QCOMPARE(resources.at(1).kind(), ResourceKind::Backend);
        QCOMPARE(resources.at(2).kind(), ResourceKind::HttpRoute);
    }

    void ruleWithoutMatchesMeansPrefixSlash()
    {
        const auto resources = parseOk("apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\n"
                                       "metadata: {name: r}\nspec:\n  rules:\n  - backendRefs: [{name: b}]\n"_ba);
        QCOMPARE(resources.size(), 1);
        const RouteMatch &match = resources.first().as<HttpRoute>()->rules.first().matches.value(0);
        QCOMPARE(match.path.type, PathMatch::Type::PathPrefix);
        QCOMPARE(match.path.value, u"/"_s);
    }

    void gatewayHelpers()
    {
        const auto full = parseOk(quarry::test::readData(u"config/full-featured.yaml"_s));
        QVERIFY(!full.isEmpty());
        const Gateway *gateway = full.first().as<Gateway>();
        QCOMPARE(gateway->port(), 8080);
        QCOMPARE(gateway->bindAddress(), u"127.0.0.1"_s);
        const auto bare = parseOk("apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\nmetadata: {name: g}\n"
                                  "spec:\n  gatewayClassName: x\n  listeners:\n"
                                  "  - {name: tls, port: 9443, protocol: HTTPS}\n"
                                  "  - {name: web, port: 9090, protocol: HTTP}\n"_ba);
        QCOMPARE(bare.first().as<Gateway>()->port(), 9090);
        QCOMPARE(bare.first().as<Gateway>()->bindAddress(), u"127.0.0.1"_s);
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::addColumn<QString>("expected");
        const QByteArray backend = "apiVersion: agentgateway.dev/v1alpha1\nkind: AgentgatewayBackend\n"
                                   "metadata:\n  name: bedrock\nspec:\n  ai:\n    provider:\n"_ba;
        const QByteArray gateway = "apiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n"
                                   "metadata: {name: gw}\nspec:\n  gatewayClassName: agentgateway\n"_ba;
        QTest::newRow("unknown field") << backend + "      bedrock:\n        modle: x\n"_ba
                                       << u"AgentgatewayBackend \"bedrock\": unknown field "
                                          "\"spec.ai.provider.bedrock.modle\""_s;
        QTest::newRow("region pattern")
            << backend + "      bedrock:\n        region: US_EAST_1\n"_ba
            << u"AgentgatewayBackend \"bedrock\": spec.ai.provider.bedrock.region: invalid value "
               "\"US_EAST_1\": expected an AWS region such as us-east-1 (lower-case letters, digits and dashes)"_s;
        QTest::newRow("quoted port is a string")
            << gateway + "  listeners:\n  - {name: http, port: \"8080\", protocol: HTTP}\n"_ba
            << u"Gateway \"gw\": spec.listeners[0].port: expected number, got string"_s;
        QTest::newRow("port range") << gateway + "  listeners:\n  - {name: http, port: 70000, protocol: HTTP}\n"_ba
                                    << u"Gateway \"gw\": spec.listeners[0].port: invalid value 70000: "
                                       "must be between 1 and 65535"_s;
        QTest::newRow("missing listeners") << gateway
                                           << u"Gateway \"gw\": missing required field \"spec.listeners\""_s;
        QTest::newRow("missing name")
            << "apiVersion: v1\nkind: Secret\nmetadata: {namespace: x}\n"_ba
            << u"Secret (document 1, line 1): missing required field \"metadata.name\""_s;
        QTest::newRow("other provider") << backend + "      openai: {model: gpt-4o}\n"_ba
                                        << u"AgentgatewayBackend \"bedrock\": spec.ai.provider: only bedrock "
                                           "is supported by Quarry"_s;
        QTest::newRow("bad enum")
            << "apiVersion: gateway.networking.k8s.io/v1\nkind: HTTPRoute\nmetadata: {name: r}\nspec:\n"
               "  rules:\n  - matches:\n    - path: {type: Prefix, value: /x}\n"_ba
            << u"HTTPRoute \"r\": spec.rules[0].matches[0].path.type: unsupported value \"Prefix\": "
               "supported values: \"PathPrefix\", \"Exact\", \"RegularExpression\""_s;
        QTest::newRow("bad duration")
            << backend + "      bedrock: {}\n  policies:\n    http: {requestTimeout: 1.5s}\n"_ba
            << u"AgentgatewayBackend \"bedrock\": spec.policies.http.requestTimeout: invalid duration "
               "\"1.5s\": expected e.g. 30s, 1m30s, 500ms"_s;
        QTest::newRow("unknown kind") << "apiVersion: v1\nkind: Service\nmetadata: {name: x}\n"_ba
                                      << u"document 1, line 1: no kind \"Service\" is known in version \"v1\""_s;
        QTest::newRow("configmap binaryData")
            << "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ca}\nbinaryData: {ca.crt: AAAA}\n"_ba
            << u"ConfigMap \"ca\": binaryData: not supported: put PEM text (ca.crt) under data"_s;
        QTest::newRow("tls skip enum")
            << backend + "      bedrock: {}\n  policies:\n    tls: {insecureSkipVerify: true}\n"_ba
            << u"AgentgatewayBackend \"bedrock\": spec.policies.tls.insecureSkipVerify: expected string"_s;
        QTest::newRow("tls one ca ref")
            << backend + "      bedrock: {}\n  policies:\n    tls:\n      caCertificateRefs: [{name: a}, {name: b}]\n"_ba
            << u"AgentgatewayBackend \"bedrock\": spec.policies.tls.caCertificateRefs: at most one reference"_s;
        QTest::newRow("tls sni pattern")
            << backend + "      bedrock: {}\n  policies:\n    tls: {sni: Bedrock.Internal}\n"_ba
            << u"AgentgatewayBackend \"bedrock\": spec.policies.tls.sni: invalid value \"Bedrock.Internal\""_s;
        QTest::newRow("tls unknown field")
            << backend + "      bedrock: {}\n  policies:\n    tls: {caCert: x}\n"_ba
            << u"AgentgatewayBackend \"bedrock\": unknown field \"spec.policies.tls.caCert\""_s;
        QTest::newRow("v2.1 type") << "apiVersion: gateway.kgateway.dev/v1alpha1\nkind: Backend\n"
                                      "metadata: {name: b}\nspec:\n  type: Static\n  ai: {llm: {bedrock: {}}}\n"_ba
                                   << u"Backend \"b\": spec.type: only AI backends are supported by Quarry"_s;
        QTest::newRow("yaml syntax") << "apiVersion: v1\nkind: Secret\nmetadata:\n  name: [unclosed\n"_ba
                                     << u"YAML syntax error at line "_s;
        QTest::newRow("all or nothing")
            << quarry::test::readData(u"config/seed-httproute-v2.2.yaml"_s) + "---\n"_ba + gateway
            << u"Gateway \"gw\": missing required field \"spec.listeners\""_s;
    }

    void errors()
    {
        QFETCH(QByteArray, yaml);
        QFETCH(QString, expected);
        const auto result = parseManifests(yaml);
        QVERIFY(!result.ok());
        QVERIFY2(result.error().startsWith(expected), qPrintable(result.error()));
    }

    // Found by fuzz/fuzz_manifest: yaml-cpp 0.7 looped for ever, allocating without bound, on a
    // ',' outside a flow collection, so `quarry apply -f` or the YAML pane hung. Run with a
    // deadline: if it hangs again, qFatal ends the process before the memory runs out.
    void strayCommaIsAnErrorNotAHang_data()
    {
        QTest::addColumn<QByteArray>("yaml");
        QTest::newRow("comma alone (fuzz input)") << ","_ba;
        QTest::newRow("after a sequence") << "- a\n,"_ba;
        QTest::newRow("after a flow map") << "{a: 1},"_ba;
        QTest::newRow("after a manifest") << "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n---\n, x\n"_ba;
    }

    void strayCommaIsAnErrorNotAHang()
    {
        QFETCH(QByteArray, yaml);
        auto done = std::make_shared<std::promise<QString>>();
        std::future<QString> error = done->get_future();
        std::thread([yaml, done] {
            const auto result = parseManifests(yaml);
            done->set_value(result.ok() ? QString() : result.error());
        }).detach();
        if (error.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
            qFatal("parseManifests did not return within 10 s");
        const QString message = error.get();
        QVERIFY2(message.startsWith(u"YAML syntax error at line"_s), qPrintable(message));
    }

    void errorsNeverEchoSecretValues()
    {
        const auto badBase64 = parseManifests("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                                              "data: {Authorization: 'not*base64-SECRETVALUE'}\n"_ba);
        QVERIFY(!badBase64.ok());
        QVERIFY(badBase64.error().contains(u"data.Authorization"_s));
        QVERIFY(!badBase64.error().contains(u"SECRETVALUE"_s));
        const auto badType = parseManifests("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
                                            "stringData: {Authorization: {nested: SECRETVALUE}}\n"_ba);
        QVERIFY(!badType.ok());
        QVERIFY(!badType.error().contains(u"SECRETVALUE"_s));
    }

    void roundTrip_data()
    {
        QTest::addColumn<QString>("file");
        for (const char *file : {"full-featured.yaml", "seed-agentgatewaybackend-v2.2.yaml",
                                 "seed-httproute-v2.1.yaml", "seed-secret-apikey.yaml", "tls-ca-configmap.yaml"})
            QTest::newRow(file) << QString::fromLatin1(file);
    }

    void roundTrip()
    {
        QFETCH(QString, file);
        const auto original = parseOk(quarry::test::readData(u"config/"_s + file));
        QVERIFY(!original.isEmpty());
        const QByteArray yaml = ManifestWriter::toYaml(original, ManifestWriter::SecretValues::Include);
        const auto fromYaml = parseManifests(yaml);
        if (!fromYaml.ok())
            QFAIL(qPrintable(fromYaml.error() + u"\n"_s + QString::fromUtf8(yaml)));
        QCOMPARE(fromYaml->size(), original.size());
        for (qsizetype i = 0; i < original.size(); ++i)
            QVERIFY2(fromYaml->at(i).object == original.at(i).object, yaml.constData());
        // Deterministic: writing again gives the same bytes.
        QCOMPARE(ManifestWriter::toYaml(*fromYaml, ManifestWriter::SecretValues::Include), yaml);
        for (const Resource &resource : original) {
            const auto fromJson = parseManifestJson(
                ManifestWriter::toJsonText({resource}, ManifestWriter::SecretValues::Include));
            if (!fromJson.ok())
                QFAIL(qPrintable(fromJson.error()));
            QVERIFY(fromJson->first().object == resource.object);
        }
    }

    void serializedShapeIsKubectlLike()
    {
        const auto resources = parseOk(quarry::test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s));
        const QByteArray yaml = ManifestWriter::toYaml(resources);
        QVERIFY2(yaml.startsWith("apiVersion: gateway.kgateway.dev/v1alpha1\nkind: AgentgatewayBackend\n"
                                 "metadata:\n  name: bedrock\n  namespace: agentgateway-system\nspec:\n"),
                 yaml.constData());
        QVERIFY(yaml.contains("model: amazon.titan-text-lite-v1"));
        QVERIFY(!yaml.contains("groups")); // only fields that are set
        // A list of several resources is a kubectl List in JSON.
        const QJsonObject list = QJsonDocument::fromJson(ManifestWriter::toJsonText(resources + resources)).object();
        QCOMPARE(list.value(u"kind"_s).toString(), u"List"_s);
        QCOMPARE(list.value(u"items"_s).toArray().size(), 2);
    }

    void secretValuesRedactedByDefault()
    {
        const auto resources = parseOk(quarry::test::readData(u"config/seed-secret-apikey.yaml"_s));
        const QByteArray yaml = ManifestWriter::toYaml(resources);
        QVERIFY(yaml.contains("Authorization"));
        QVERIFY(!yaml.contains("BEDROCK_API_KEY"));
        QVERIFY(!yaml.contains(QByteArray("$BEDROCK_API_KEY").toBase64()));
    }

    void durations()
    {
        QCOMPARE(parseDuration(u"30s"), 30000);
        QCOMPARE(parseDuration(u"1m30s"), 90000);
        QCOMPARE(parseDuration(u"500ms"), 500);
        QCOMPARE(parseDuration(u"1h2m3s4ms"), 3723004);
        QCOMPARE(parseDuration(u"30"), std::nullopt);
        QCOMPARE(parseDuration(u"1.5h"), std::nullopt);
        QCOMPARE(parseDuration(u""), std::nullopt);
        QCOMPARE(parseDuration(u"1h1m1s1ms1h"), std::nullopt); // more than 4 parts
        QCOMPARE(formatDuration(90000), u"1m30s"_s);
        QCOMPARE(formatDuration(500), u"500ms"_s);
        QCOMPARE(formatDuration(0), u"0s"_s);
    }

    void kindNames()
    {
        QCOMPARE(parseResourceKind(u"backends"), ResourceKind::Backend);
        QCOMPARE(parseResourceKind(u"AgentgatewayBackend"), ResourceKind::Backend);
        QCOMPARE(parseResourceKind(u"route"), ResourceKind::HttpRoute);
        QCOMPARE(parseResourceKind(u"httproutes"), ResourceKind::HttpRoute);
        QCOMPARE(parseResourceKind(u"gateway"), ResourceKind::Gateway);
        QCOMPARE(parseResourceKind(u"secrets"), ResourceKind::Secret);
        QCOMPARE(parseResourceKind(u"configmaps"), ResourceKind::ConfigMap);
        QCOMPARE(parseResourceKind(u"cm"), ResourceKind::ConfigMap);
        QCOMPARE(kindName(ResourceKind::ConfigMap), u"ConfigMap"_s);
        QCOMPARE(parseResourceKind(u"pods"), std::nullopt);
    }
};

QTEST_GUILESS_MAIN(TestConfigManifests)
#include "tst_config_manifests.moc"
