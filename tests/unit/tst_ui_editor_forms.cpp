// The Backends and Routes forms field by field, as a user fills them: every field reaches the
// YAML and survives Save, what the form does not show survives a form edit, the pickers list
// what exists (secrets, ConfigMaps, profiles, backends, models), "New secret…" asks for the
// Credentials page, and a route another route shadows is warned about.
#include "TestSupport.h"

#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "config/ManifestWriter.h"
#include "editors/BackendForm.h"
#include "editors/BackendModelChoices.h"
#include "editors/FieldError.h"
#include "editors/KeyValueTable.h"
#include "editors/ModelListFetch.h"
#include "editors/Picker.h"
#include "editors/ResourceBrowser.h"
#include "editors/ResourceEditor.h"
#include "editors/RouteForm.h"
#include "editors/RouteRuleFields.h"
#include "secrets/SecretCatalog.h"

#include "FormFields.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;
using quarry::test::field;
using quarry::test::retype;

namespace {

// A table cell typed into, as the delegate's editor commits it.
void setCell(KeyValueTable *table, int row, int column, const QString &text)
{
    while (table->table()->rowCount() <= row)
        table->addRow();
    table->table()->item(row, column)->setText(text);
}

KeyValueTable *tableNamed(QWidget *form, const QString &name)
{
    for (auto *table : form->findChildren<KeyValueTable *>()) {
        if (table->table()->accessibleName() == name)
            return table;
    }
    qFatal("no table named %s", qPrintable(name));
}

template<typename R>
QString errorOf(const R &result)
{
    return result.ok() ? QString() : result.error();
}

config::Resource parseOne(const QByteArray &yaml)
{
    const auto parsed = config::parseManifests(yaml);
    if (!parsed.ok() || parsed->size() != 1)
        qFatal("does not parse: %s", qPrintable(errorOf(parsed)));
    return parsed->first();
}

config::AiBackend backendIn(const ResourceEditor &editor)
{
    const config::Resource resource = parseOne(editor.yamlView()->toPlainText().toUtf8());
    const auto *backend = resource.as<config::AiBackend>();
    if (!backend)
        qFatal("not a backend");
    return *backend;
}

config::HttpRoute routeIn(const ResourceEditor &editor)
{
    const config::Resource resource = parseOne(editor.yamlView()->toPlainText().toUtf8());
    const auto *route = resource.as<config::HttpRoute>();
    if (!route)
        qFatal("not a route");
    return *route;
}

config::Resource fullFeatured(config::ResourceKind kind, const QString &name)
{
    const auto parsed = config::parseManifests(test::readData(u"config/full-featured.yaml"_s));
    if (!parsed.ok())
        qFatal("full-featured.yaml does not parse");
    for (const auto &resource : *parsed) {
        if (resource.kind() == kind && resource.meta().name == name)
            return resource;
    }
    qFatal("no %s in full-featured.yaml", qPrintable(name));
}

} // namespace

class TestUiEditorForms : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void tlsAndTimeoutsReachYamlAndSurviveSave();
    void aiPoliciesReachYaml();
    void providerGroupsAreEditable();
    void fieldsTheFormDoesNotShowSurviveAFormEdit();
    void unknownYamlFieldsSurviveAFormEdit();
    void pickersListSecretsConfigMapsAndProfiles();
    void newSecretEntryAsksForTheCredentialsPage();
    void modelPickerOffersOfflineThenListedModels();
    void modelListingPastItsDeadlineKeepsTheOfflineList();
    void routeRulesMatchesFiltersAndWeightsReachYaml();
    void routeBackendPickerListsBackends();
    void shadowedRouteIsWarnedOnTheForm();

private:
    std::unique_ptr<QTemporaryDir> m_home;
};

void TestUiEditorForms::init()
{
    // No profiles from the machine running the tests: each test writes the AWS files it needs.
    m_home = std::make_unique<QTemporaryDir>();
    qputenv("AWS_CONFIG_FILE", m_home->filePath(u"aws-config"_s).toUtf8());
    qputenv("AWS_SHARED_CREDENTIALS_FILE", m_home->filePath(u"aws-credentials"_s).toUtf8());
}

void TestUiEditorForms::tlsAndTimeoutsReachYamlAndSurviveSave()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok()); // defaults: the seed's backend
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    QWidget *form = backends.editor()->form();

    retype(field<QLineEdit>(form, u"CA certificate ConfigMap"_s), u"corp-ca"_s);
    retype(field<QLineEdit>(form, u"TLS SNI"_s), u"bedrock.internal"_s);
    auto *verify = field<QComboBox>(form, u"Skip TLS verification"_s);
    verify->setCurrentIndex(1);
    Q_EMIT verify->activated(1); // what a click on the entry sends
    retype(field<QLineEdit>(form, u"Request timeout"_s), u"1m30s"_s);
    retype(field<QLineEdit>(form, u"Connect timeout"_s), u"5s"_s);
    field<QComboBox>(form, u"HTTP version"_s)->setCurrentIndex(2);

    const config::AiBackend shown = backendIn(*backends.editor());
    QCOMPARE(shown.policies.tls.value(u"sni"_s).toString(), u"bedrock.internal"_s);
    QCOMPARE(shown.policies.tls.value(u"insecureSkipVerify"_s).toString(), u"Hostname"_s);
    QCOMPARE(shown.policies.tls.value(u"caCertificateRefs"_s).toArray().at(0)[u"name"_s].toString(), u"corp-ca"_s);
    QCOMPARE(shown.policies.requestTimeoutMs, std::optional<qint64>(90000));
    QCOMPARE(shown.policies.connectTimeoutMs, std::optional<qint64>(5000));
    QCOMPARE(shown.policies.httpVersion, u"HTTP2"_s);

    // Save goes through `quarry apply`'s code; the store and a fresh read of the file agree.
    QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));
    config::ConfigStore reread(dir.path());
    QVERIFY(reread.load().ok());
    QCOMPARE(reread.snapshot().backends.first().policies, shown.policies);

    // A timeout that is not a duration is marked and never reaches the YAML as something else.
    auto *timeout = field<QLineEdit>(form, u"Request timeout"_s);
    retype(timeout, u"soon"_s);
    QVERIFY(!FieldError::messageOf(timeout).isEmpty());
    QCOMPARE(backendIn(*backends.editor()).policies.requestTimeoutMs, std::optional<qint64>(90000));
}

void TestUiEditorForms::aiPoliciesReachYaml()
{
    ResourceEditor editor(new BackendForm);
    editor.setResource(parseOne(test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s)));
    QWidget *form = editor.form();

    setCell(tableNamed(form, u"Model aliases"_s), 0, 0, u"fast"_s);
    setCell(tableNamed(form, u"Model aliases"_s), 0, 1, u"amazon.nova-micro-v1:0"_s);
    setCell(tableNamed(form, u"Request defaults"_s), 0, 0, u"temperature"_s);
    setCell(tableNamed(form, u"Request defaults"_s), 0, 1, u"0.2"_s);
    setCell(tableNamed(form, u"Request defaults"_s), 1, 0, u"user"_s);
    setCell(tableNamed(form, u"Request defaults"_s), 1, 1, u"quarry"_s);
    setCell(tableNamed(form, u"Request overrides"_s), 0, 0, u"max_tokens"_s);
    setCell(tableNamed(form, u"Request overrides"_s), 0, 1, u"512"_s);
    field<QCheckBox>(form, u"Cache System prompt"_s)->setChecked(true);
    field<QSpinBox>(form, u"Prompt caching minimum tokens"_s)->setValue(1024);
    field<QPlainTextEdit>(form, u"Prompt guard"_s)
        ->setPlainText(u"{\"request\": [{\"regex\": {\"action\": \"Reject\", \"matches\": [\"secret\"]}}]}"_s);

    QVERIFY2(editor.error().isEmpty(), qPrintable(editor.error()));
    const QJsonObject ai = backendIn(editor).policies.ai;
    QCOMPARE(ai[u"modelAliases"_s][u"fast"_s].toString(), u"amazon.nova-micro-v1:0"_s);
    QCOMPARE(ai[u"defaults"_s].toArray().at(0)[u"value"_s].toDouble(), 0.2); // a number, not "0.2"
    QCOMPARE(ai[u"defaults"_s].toArray().at(1)[u"value"_s].toString(), u"quarry"_s);
    QCOMPARE(ai[u"overrides"_s].toArray().at(0)[u"value"_s].toInt(), 512);
    QCOMPARE(ai[u"promptCaching"_s][u"cacheSystem"_s].toBool(), true);
    QCOMPARE(ai[u"promptCaching"_s][u"minTokens"_s].toInt(), 1024);
    QVERIFY(!ai[u"promptCaching"_s].toObject().contains(u"cacheTools"_s)); // not touched, not written
    QCOMPARE(ai[u"promptGuard"_s][u"request"_s].toArray().size(), 1);

    // Half-typed JSON keeps the last good value and says why at the field.
    auto *guard = field<QPlainTextEdit>(form, u"Prompt guard"_s);
    guard->setPlainText(u"{\"request\": ["_s);
    QVERIFY(!FieldError::messageOf(guard).isEmpty());
    QCOMPARE(backendIn(editor).policies.ai[u"promptGuard"_s][u"request"_s].toArray().size(), 1);
}

void TestUiEditorForms::providerGroupsAreEditable()
{
    const config::Resource claude = fullFeatured(config::ResourceKind::Backend, u"claude"_s);
    ResourceEditor editor(new BackendForm);
    editor.setResource(claude);
    auto *form = static_cast<BackendForm *>(editor.form());
    KeyValueTable *groups = tableNamed(form, u"Provider groups"_s);
    QVERIFY(groups->isVisibleTo(form));
    QVERIFY(!field<QLineEdit>(form, u"Model"_s)->isVisibleTo(form)); // one-provider fields hidden
    QCOMPARE(groups->rows().size(), 2);

    // fallback moves to region eu-west-1; a third provider joins group 2.
    setCell(groups, 1, 3, u"eu-west-1"_s);
    setCell(groups, 2, 0, u"spare"_s);
    setCell(groups, 2, 1, u"2"_s);
    setCell(groups, 2, 2, u"amazon.nova-lite-v1:0"_s);
    QVERIFY2(editor.error().isEmpty(), qPrintable(editor.error()));
    const config::AiBackend shown = backendIn(editor);
    QCOMPARE(shown.groups.size(), 2);
    QCOMPARE(shown.groups.at(1).providers.size(), 2);
    QCOMPARE(shown.groups.at(1).providers.at(0).bedrock.region, u"eu-west-1"_s);
    QCOMPARE(shown.groups.at(1).providers.at(1).name, u"spare"_s);
    QCOMPARE(shown.groups.at(1).providers.at(1).bedrock.model, u"amazon.nova-lite-v1:0"_s);
    // What the row does not show stays with its provider.
    QCOMPARE(shown.groups.at(0).providers.at(0), claude.as<config::AiBackend>()->groups.at(0).providers.at(0));

    // Back to one provider: group 1's first provider becomes it.
    auto *choice = field<QComboBox>(form, u"Providers"_s);
    choice->setCurrentIndex(BackendForm::SingleProvider);
    Q_EMIT choice->activated(BackendForm::SingleProvider);
    const config::AiBackend single = backendIn(editor);
    QVERIFY(single.provider.has_value());
    QVERIFY(single.groups.isEmpty());
    QCOMPARE(single.provider->bedrock.model, u"us.anthropic.claude-sonnet-4-20250514-v1:0"_s);
    QVERIFY(field<QLineEdit>(form, u"Model"_s)->isVisibleTo(form));
    QVERIFY(!groups->isVisibleTo(form));

    // The provider's fields start where the name's does: one column of labels on the tab.
    editor.resize(900, 700);
    editor.show();
    QVERIFY(QTest::qWaitForWindowExposed(&editor));
    const auto left = [form](const QString &label) {
        return field<QLineEdit>(form, label)->mapTo(form, QPoint(0, 0)).x();
    };
    QCOMPARE(left(u"Host override"_s), left(u"Name"_s));
    QCOMPARE(left(u"Region"_s), left(u"Name"_s));
}

void TestUiEditorForms::fieldsTheFormDoesNotShowSurviveAFormEdit()
{
    // Every backend and route field Quarry models, through each form: one field edited, the rest
    // comes back exactly as read.
    for (const auto &[kind, name] : {std::pair{config::ResourceKind::Backend, u"claude"_s},
                                     std::pair{config::ResourceKind::HttpRoute, u"claude"_s}}) {
        const config::Resource original = fullFeatured(kind, name);
        ResourceForm *form = kind == config::ResourceKind::Backend ? static_cast<ResourceForm *>(new BackendForm)
                                                                   : new RouteForm;
        ResourceEditor editor(form);
        editor.setResource(original);
        QCOMPARE(form->resource(), original);
        retype(field<QLineEdit>(form, u"Name"_s), u"renamed"_s);
        config::Resource expected = original;
        std::visit([](auto &object) { object.meta.name = u"renamed"_s; }, expected.object);
        QCOMPARE(form->resource(), expected);
        QVERIFY2(editor.error().isEmpty(), qPrintable(editor.error()));
        QCOMPARE(parseOne(editor.yamlView()->toPlainText().toUtf8()), expected);
    }
}

void TestUiEditorForms::unknownYamlFieldsSurviveAFormEdit()
{
    // Fields the form has no control for: TLS ALPN and SAN checks, the AI routes table, an
    // annotation of someone else's.
    QByteArray yaml = test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s);
    yaml.replace("  namespace: agentgateway-system\n",
                 "  namespace: agentgateway-system\n  annotations:\n    team.example/owner: platform\n");
    yaml += "    tls:\n      alpnProtocols: [h2]\n      verifySubjectAltNames: [bedrock.internal]\n"
            "    ai:\n      routes:\n        /v1/messages: Messages\n"_ba;
    ResourceEditor editor(new BackendForm);
    editor.setResource(parseOne(test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s)));
    editor.yamlView()->setPlainText(QString::fromUtf8(yaml));
    editor.syncFromYaml();
    QVERIFY2(editor.error().isEmpty(), qPrintable(editor.error()));

    retype(field<QLineEdit>(editor.form(), u"TLS SNI"_s), u"bedrock.internal"_s);
    retype(field<QLineEdit>(editor.form(), u"Region"_s), u"eu-west-1"_s);
    const config::AiBackend shown = backendIn(editor);
    QCOMPARE(shown.provider->bedrock.region, u"eu-west-1"_s);
    QCOMPARE(shown.policies.tls[u"sni"_s].toString(), u"bedrock.internal"_s);
    QCOMPARE(shown.policies.tls[u"alpnProtocols"_s].toArray(), QJsonArray{u"h2"_s});
    QCOMPARE(shown.policies.tls[u"verifySubjectAltNames"_s].toArray(), QJsonArray{u"bedrock.internal"_s});
    QCOMPARE(shown.policies.ai[u"routes"_s][u"/v1/messages"_s].toString(), u"Messages"_s);
    QCOMPARE(shown.meta.annotations.value(u"team.example/owner"_s), u"platform"_s);
}

void TestUiEditorForms::pickersListSecretsConfigMapsAndProfiles()
{
    QFile config(m_home->filePath(u"aws-config"_s));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("[default]\nregion = us-east-1\n[profile work]\nregion = eu-west-1\n");
    config.close();
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok());
    QVERIFY(secrets::SecretCatalog(dir.path()).put({{u"agentgateway-system"_s, u"team-key"_s}, {u"Authorization"_s}, {}}).ok());
    QVERIFY(secrets::SecretCatalog(dir.path()).put({{u"other-ns"_s, u"elsewhere"_s}, {u"Authorization"_s}, {}}).ok());
    const auto ca = config::parseManifests(
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: corp-ca\n  namespace: agentgateway-system\n"
        "data:\n  ca.crt: |\n    -----BEGIN CERTIFICATE-----\n"_ba);
    QVERIFY2(ca.ok(), qPrintable(errorOf(ca)));
    QVERIFY(store.apply(*ca).ok());

    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    QWidget *form = backends.editor()->form();
    auto *secret = field<Picker>(form, u"Secret name"_s);
    QCOMPARE(secret->choices(), QStringList{u"team-key"_s}); // a secretRef cannot leave the namespace
    QCOMPARE(field<Picker>(form, u"CA certificate ConfigMap"_s)->choices(), QStringList{u"corp-ca"_s});
    auto *profile = field<Picker>(form, u"AWS profile"_s);
    QCOMPARE(profile->choices(), (QStringList{u"default"_s, u"work"_s}));

    // Picking a profile (with the default chain) writes the annotation the gateway reads.
    auto *auth = field<QComboBox>(form, u"Auth"_s);
    auth->setCurrentIndex(BackendForm::DefaultChain);
    QVERIFY(profile->isEnabled());
    profile->setCurrentIndex(1);
    Q_EMIT profile->activated(1);
    QCOMPARE(backendIn(*backends.editor()).meta.annotations.value(BackendForm::kAwsProfileAnnotation), u"work"_s);
    QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));
    QCOMPARE(store.snapshot().backends.first().meta.annotations.value(BackendForm::kAwsProfileAnnotation), u"work"_s);
    // Cleared: the annotation goes.
    retype(profile->lineEdit(), QString());
    QVERIFY(!backendIn(*backends.editor()).meta.annotations.contains(BackendForm::kAwsProfileAnnotation));
}

void TestUiEditorForms::newSecretEntryAsksForTheCredentialsPage()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok());
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    ResourceForm *form = backends.editor()->form();
    QSignalSpy asked(form, &ResourceForm::newSecretRequested);
    auto *secret = field<Picker>(form, u"Secret name"_s);
    retype(secret->lineEdit(), u"my-new-secret"_s);
    const int newEntry = secret->count() - 1;
    QCOMPARE(secret->itemText(newEntry), u"New secret\u2026"_s);
    secret->setCurrentIndex(newEntry);
    Q_EMIT secret->activated(newEntry);
    QCOMPARE(asked.size(), 1);
    QCOMPARE(asked.first().at(0).toString(), u"agentgateway-system"_s);
    QCOMPARE(asked.first().at(1).toString(), u"my-new-secret"_s);
    // The entry is an action: the name typed stays in the field and in the YAML.
    QCOMPARE(secret->text(), u"my-new-secret"_s);
    QCOMPARE(backendIn(*backends.editor()).policies.auth.secretName, u"my-new-secret"_s);
}

namespace {

// A stand-in for the gateway's /v1/models: answers every request with `body`, or never.
class FakeModelsServer : public QTcpServer
{
public:
    explicit FakeModelsServer(QByteArray body)
        : m_body(std::move(body))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                socket->setParent(this);
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    if (!socket->readAll().contains("\r\n\r\n") || m_body.isNull())
                        return; // silent: the client's deadline has to end it
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                  + QByteArray::number(m_body.size()) + "\r\nConnection: close\r\n\r\n" + m_body);
                    socket->disconnectFromHost();
                });
            }
        });
    }
    QUrl url() const { return QUrl(u"http://127.0.0.1:%1/bedrock/v1/models"_s.arg(serverPort())); }

private:
    QByteArray m_body;
};

} // namespace

void TestUiEditorForms::modelPickerOffersOfflineThenListedModels()
{
    ResourceEditor editor(new BackendForm);
    auto *form = static_cast<BackendForm *>(editor.form());
    BackendModelChoices models(form, nullptr, {u"amazon.nova-micro-v1:0"_s});
    auto *picker = field<Picker>(form, u"Model"_s);
    QCOMPARE(picker->choices(), QStringList{u"amazon.nova-micro-v1:0"_s});
    QVERIFY(picker->toolTip().contains(u"start the gateway"_s));

    FakeModelsServer server(R"({"object":"list","data":[{"id":"us.anthropic.claude-3-5-haiku-20241022-v1:0"},{"id":"amazon.nova-micro-v1:0"}]})"_ba);
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QSignalSpy listed(models.fetcher(), &ModelListFetch::listed);
    models.fetcher()->fetch(server.url(), "session-key");
    QVERIFY(listed.wait(5000));
    QCOMPARE(picker->choices(),
             (QStringList{u"amazon.nova-micro-v1:0"_s, u"us.anthropic.claude-3-5-haiku-20241022-v1:0"_s}));
    QVERIFY(picker->toolTip().contains(u"listed by Bedrock"_s));
    // Free text is still taken.
    retype(picker->lineEdit(), u"my-custom-model"_s);
    QCOMPARE(backendIn(editor).provider->bedrock.model, u"my-custom-model"_s);
}

void TestUiEditorForms::modelListingPastItsDeadlineKeepsTheOfflineList()
{
    ResourceEditor editor(new BackendForm);
    auto *form = static_cast<BackendForm *>(editor.form());
    BackendModelChoices models(form, nullptr, {u"amazon.nova-micro-v1:0"_s});
    FakeModelsServer silent{QByteArray()};
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    ModelListFetch fetch(nullptr, 300);
    QSignalSpy failed(&fetch, &ModelListFetch::failed);
    fetch.fetch(silent.url(), {});
    QVERIFY(fetch.isBusy());
    QVERIFY(failed.wait(5000)); // the deadline ends it, not the server
    QVERIFY(!fetch.isBusy());
    QCOMPARE(field<Picker>(form, u"Model"_s)->choices(), QStringList{u"amazon.nova-micro-v1:0"_s});
}

void TestUiEditorForms::routeRulesMatchesFiltersAndWeightsReachYaml()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok()); // defaults: the seed's route /bedrock -> bedrock
    ResourceBrowser routes(&store, new RouteForm, u"Routes"_s);
    auto *form = static_cast<RouteForm *>(routes.editor()->form());
    RouteRuleFields *first = form->rule(0);
    // Rule 1: two weighted backends, a header match, POST only, a header set and a prefix rewrite.
    setCell(first->backends(), 0, 1, u"3"_s);
    setCell(first->backends(), 1, 0, u"claude"_s);
    setCell(first->backends(), 1, 1, u"1"_s);
    setCell(first->matches(), 0, 2, u"POST"_s);
    setCell(first->matches(), 0, 3, u"x-team=platform, x-env~^(dev|prod)$"_s);
    setCell(first->filters(), 0, 0, u"Set header"_s);
    setCell(first->filters(), 0, 1, u"x-quarry"_s);
    setCell(first->filters(), 0, 2, u"yes"_s);
    setCell(first->filters(), 1, 0, u"Rewrite path prefix"_s);
    setCell(first->filters(), 1, 1, u"/"_s);
    // Rule 2, added on the form: an exact path to claude.
    QTest::mouseClick(field<QPushButton>(form, u"Add rule"_s), Qt::LeftButton);
    QCOMPARE(form->rules()->count(), 2);
    RouteRuleFields *second = form->rule(1);
    setCell(second->matches(), 0, 0, u"/bedrock/claude"_s);
    setCell(second->matches(), 0, 1, u"Exact"_s);
    setCell(second->backends(), 0, 0, u"claude"_s);

    QVERIFY2(routes.editor()->error().isEmpty(), qPrintable(routes.editor()->error()));
    const config::HttpRoute shown = routeIn(*routes.editor());
    QCOMPARE(shown.rules.size(), 2);
    const config::RouteRule &rule = shown.rules.at(0);
    QCOMPARE(rule.backendRefs.size(), 2);
    QCOMPARE(rule.backendRefs.at(0).weight, std::optional<int>(3));
    QCOMPARE(rule.backendRefs.at(1).name, u"claude"_s);
    QCOMPARE(rule.backendRefs.at(1).kind, u"AgentgatewayBackend"_s);
    QCOMPARE(rule.backendRefs.at(1).weight, std::optional<int>(1));
    QCOMPARE(rule.matches.at(0).method, u"POST"_s);
    QCOMPARE(rule.matches.at(0).headers.size(), 2);
    QCOMPARE(rule.matches.at(0).headers.at(1).type, config::HeaderMatch::Type::RegularExpression);
    QCOMPARE(rule.matches.at(0).headers.at(1).value, u"^(dev|prod)$"_s);
    QCOMPARE(rule.filters.size(), 2);
    QCOMPARE(rule.filters.at(0).requestHeaderModifier.set.value(0).name, u"x-quarry"_s);
    QCOMPARE(rule.filters.at(1).urlRewrite.path->type, config::PathRewrite::Type::ReplacePrefixMatch);
    QCOMPARE(shown.rules.at(1).matches.at(0).path.type, config::PathMatch::Type::Exact);
    QCOMPARE(shown.rules.at(1).matches.at(0).path.value, u"/bedrock/claude"_s);

    // Saved and read back.
    QVERIFY2(routes.save(), qPrintable(routes.statusLabel()->text()));
    config::ConfigStore reread(dir.path());
    QVERIFY(reread.load().ok());
    QCOMPARE(reread.snapshot().routes.first(), shown);

    // Removing a rule removes it from the YAML.
    form->rules()->setCurrentIndex(1);
    QTest::mouseClick(field<QPushButton>(form, u"Remove rule"_s), Qt::LeftButton);
    QCOMPARE(routeIn(*routes.editor()).rules.size(), 1);
}

void TestUiEditorForms::routeBackendPickerListsBackends()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok());
    QByteArray manifest = test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s);
    manifest.replace("name: bedrock", "name: claude").replace("namespace: agentgateway-system", "namespace: team");
    const auto parsed = config::parseManifests(manifest);
    QVERIFY(parsed.ok());
    QVERIFY(store.apply(*parsed).ok());

    ResourceBrowser routes(&store, new RouteForm, u"Routes"_s);
    auto *form = static_cast<RouteForm *>(routes.editor()->form());
    // Same namespace by name, another namespace as namespace/name (a cross-namespace ref).
    QCOMPARE(form->rule(0)->backends()->columnChoices(0), (QStringList{u"bedrock"_s, u"team/claude"_s}));
    setCell(form->rule(0)->backends(), 0, 0, u"team/claude"_s);
    const config::BackendRef ref = routeIn(*routes.editor()).rules.at(0).backendRefs.at(0);
    QCOMPARE(ref.name, u"claude"_s);
    QCOMPARE(ref.ns, u"team"_s);
    // A rule added later offers the same list.
    form->addRule();
    QCOMPARE(form->rule(1)->backends()->columnChoices(0), (QStringList{u"bedrock"_s, u"team/claude"_s}));
}

void TestUiEditorForms::shadowedRouteIsWarnedOnTheForm()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok()); // defaults: agentgateway-system/bedrock on PathPrefix /bedrock
    ResourceBrowser routes(&store, new RouteForm, u"Routes"_s);
    routes.newResource();
    auto *form = static_cast<RouteForm *>(routes.editor()->form());
    retype(field<QLineEdit>(form, u"Name"_s), u"zz-second"_s);
    QLabel *warning = routes.editor()->warningLabel();
    QVERIFY2(!warning->text().contains(u"shadowed"_s), qPrintable(warning->text()));

    // The same prefix: the route seen first wins every request, so this one never gets any.
    setCell(form->rule(0)->matches(), 0, 0, u"/bedrock"_s);
    QVERIFY(!warning->isHidden());
    QVERIFY2(warning->text().contains(u"/bedrock is shadowed by agentgateway-system/bedrock"_s), qPrintable(warning->text()));
    QVERIFY(routes.save()); // a warning: Save still works
    QVERIFY(warning->text().contains(u"shadowed"_s));

    // An exact match outranks any prefix (Gateway API precedence): no longer shadowed.
    setCell(form->rule(0)->matches(), 0, 1, u"Exact"_s);
    QVERIFY2(!warning->text().contains(u"shadowed"_s), qPrintable(warning->text()));
}

QTEST_MAIN(TestUiEditorForms)
#include "tst_ui_editor_forms.moc"
