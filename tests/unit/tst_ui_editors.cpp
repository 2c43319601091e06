// The Backends/Routes editors driven as a user would: typing in the form updates the YAML,
// typing YAML updates the form, `quarry apply`'s message appears at the field, Save goes
// through ConfigStore, and changes made outside show up in the list.
#include "TestSupport.h"

#include "config/ConfigStore.h"
#include "config/ManifestParser.h"
#include "config/ManifestWriter.h"
#include "editors/BackendForm.h"
#include "editors/FieldError.h"
#include "editors/KeyValueTable.h"
#include "editors/ResourceBrowser.h"
#include "editors/ResourceEditor.h"
#include "editors/RouteForm.h"
#include "editors/RouteRuleFields.h"
#include "secrets/SecretCatalog.h"

#include "FormFields.h"

#include <QApplication>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace quarry;
using namespace quarry::ui;
using quarry::test::field;
using quarry::test::retype;

namespace {

config::Resource seedBackend()
{
    const auto parsed = config::parseManifests(test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s));
    if (!parsed.ok() || parsed->size() != 1)
        qFatal("seed backend does not parse");
    return parsed->first();
}

// resources.yaml with only the default Gateway, so the backend and route come from the test.
const QByteArray kGatewayOnly = R"(apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: agentgateway
  namespace: agentgateway-system
spec:
  gatewayClassName: agentgateway
  listeners:
  - name: http
    port: 8080
    protocol: HTTP
)"_ba;

QString configWithGatewayOnly(QTemporaryDir &dir)
{
    QFile file(dir.filePath(u"resources.yaml"_s));
    if (!file.open(QIODevice::WriteOnly) || file.write(kGatewayOnly) != kGatewayOnly.size())
        qFatal("cannot write resources.yaml");
    return dir.path();
}

// QVERIFY2 builds its message even when the check passes; error() is only valid on failure.
template<typename R>
QString errorOf(const R &result)
{
    return result.ok() ? QString() : result.error();
}

// A cell of a rule's table typed into, as its editor commits it.
void setCell(KeyValueTable *table, int row, int column, const QString &text)
{
    while (table->table()->rowCount() <= row)
        table->addRow();
    table->table()->item(row, column)->setText(text);
}

RouteRuleFields *firstRule(QWidget *form)
{
    return static_cast<RouteForm *>(form)->rule(0);
}

QStringList listTexts(QListWidget *list)
{
    QStringList texts;
    for (int row = 0; row < list->count(); ++row)
        texts.append(list->item(row)->text());
    return texts;
}

} // namespace

class TestUiEditors : public QObject
{
    Q_OBJECT

private slots:
    void backendFormEditUpdatesYaml();
    void badRegionInFormShowsApplyMessage();
    void badRegionInYamlShowsApplyMessageAtField();
    void yamlSyntaxErrorShownUnderYaml();
    void yamlEditUpdatesForm();
    void routeFormEditUpdatesYaml();
    void seedThroughFormsMatchesApply();
    void outsideChangeShowsUpAndKeepsEdits();
    void switchingDraftsKeepsFormAndYamlTogether();
    void newDraftSurvivesASwitch();
    void danglingReferencesAreWarnedUnderTheForm();
    void clickingSaveLeavesTheKeyboardOnTheList();
};

void TestUiEditors::backendFormEditUpdatesYaml()
{
    ResourceEditor editor(new BackendForm);
    editor.setResource(seedBackend());
    QVERIFY(!editor.isModified());

    retype(field<QLineEdit>(editor.form(), u"Region"_s), u"eu-west-1"_s);
    retype(field<QLineEdit>(editor.form(), u"Guardrail ID"_s), u"gr-abc123"_s);
    retype(field<QLineEdit>(editor.form(), u"Guardrail version"_s), u"2"_s);

    const QString yaml = editor.yamlView()->toPlainText();
    QVERIFY2(yaml.contains(u"region: eu-west-1"_s), qPrintable(yaml));
    const auto parsed = config::parseManifests(yaml.toUtf8());
    QVERIFY2(parsed.ok(), qPrintable(errorOf(parsed)));
    const auto *backend = parsed->first().as<config::AiBackend>();
    QVERIFY(backend && backend->provider);
    QCOMPARE(backend->provider->bedrock.region, u"eu-west-1"_s);
    QCOMPARE(backend->provider->bedrock.model, u"amazon.titan-text-lite-v1"_s); // kept
    QVERIFY(backend->provider->bedrock.guardrail.has_value());
    QCOMPARE(backend->provider->bedrock.guardrail->identifier, u"gr-abc123"_s);
    QCOMPARE(backend->provider->bedrock.guardrail->version, u"2"_s);
    QCOMPARE(backend->policies.auth.kind, config::BackendAuth::Kind::SecretRef);
    QCOMPARE(backend->policies.auth.secretName, u"bedrock-secret"_s);
    QVERIFY(editor.isModified());
    QVERIFY(editor.error().isEmpty());

    // Switching auth to the default credential chain drops the secret reference from the YAML.
    field<QComboBox>(editor.form(), u"Auth"_s)->setCurrentIndex(BackendForm::DefaultChain);
    QVERIFY(!editor.yamlView()->toPlainText().contains(u"bedrock-secret"_s));
}

void TestUiEditors::badRegionInFormShowsApplyMessage()
{
    // What `quarry apply` says about the seed with this region.
    QByteArray manifest = test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s);
    manifest.replace("\"us-east-1\"", "US_EAST_1");
    const auto applyResult = config::parseManifests(manifest);
    QVERIFY(!applyResult.ok());
    QVERIFY(applyResult.error().contains(u"spec.ai.provider.bedrock.region"_s));

    ResourceEditor editor(new BackendForm);
    editor.setResource(seedBackend());
    auto *region = field<QLineEdit>(editor.form(), u"Region"_s);
    retype(region, u"US_EAST_1"_s);

    QCOMPARE(FieldError::messageOf(region), applyResult.error());
    QCOMPARE(region->toolTip(), applyResult.error());
    QVERIFY(!editor.formErrorLabel()->isHidden());
    QCOMPARE(editor.formErrorLabel()->text(), applyResult.error());
    QVERIFY(!editor.resource().has_value()); // nothing to save while invalid
    // Other fields are not blamed.
    QVERIFY(FieldError::messageOf(field<QLineEdit>(editor.form(), u"Model"_s)).isEmpty());

    retype(region, u"us-west-2"_s);
    QVERIFY(FieldError::messageOf(region).isEmpty());
    QVERIFY(editor.resource().has_value());
}

void TestUiEditors::badRegionInYamlShowsApplyMessageAtField()
{
    QByteArray manifest = test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s);
    manifest.replace("\"us-east-1\"", "Not/A/Region");
    const auto applyResult = config::parseManifests(manifest);
    QVERIFY(!applyResult.ok());

    ResourceEditor editor(new BackendForm);
    editor.setResource(seedBackend());
    editor.yamlView()->setPlainText(QString::fromUtf8(manifest));
    QTRY_VERIFY(!editor.error().isEmpty()); // after the YAML settles

    QCOMPARE(editor.error(), applyResult.error());
    QCOMPARE(FieldError::messageOf(field<QLineEdit>(editor.form(), u"Region"_s)), applyResult.error());
    QVERIFY(!editor.yamlErrorLabel()->isHidden());
    QCOMPARE(editor.yamlErrorLabel()->text(), applyResult.error());
}

void TestUiEditors::yamlSyntaxErrorShownUnderYaml()
{
    const QByteArray broken = "apiVersion: gateway.kgateway.dev/v1alpha1\nkind: AgentgatewayBackend\nmetadata: [\n"_ba;
    const auto applyResult = config::parseManifests(broken);
    QVERIFY(!applyResult.ok());

    ResourceEditor editor(new BackendForm);
    editor.setResource(seedBackend());
    editor.yamlView()->setPlainText(QString::fromUtf8(broken));
    editor.syncFromYaml();
    QVERIFY(!editor.yamlErrorLabel()->isHidden());
    QCOMPARE(editor.yamlErrorLabel()->text(), applyResult.error());
    // The form keeps the last good values.
    QCOMPARE(field<QLineEdit>(editor.form(), u"Region"_s)->text(), u"us-east-1"_s);
}

void TestUiEditors::yamlEditUpdatesForm()
{
    ResourceEditor editor(new BackendForm);
    editor.setResource(seedBackend());
    QString yaml = editor.yamlView()->toPlainText();
    yaml.replace(u"amazon.titan-text-lite-v1"_s, u"anthropic.claude-3-haiku-20240307-v1:0"_s);
    editor.yamlView()->setPlainText(yaml);
    QTRY_COMPARE(field<QLineEdit>(editor.form(), u"Model"_s)->text(), u"anthropic.claude-3-haiku-20240307-v1:0"_s);
    QVERIFY(editor.isModified());
    QVERIFY(editor.yamlErrorLabel()->isHidden());
}

void TestUiEditors::routeFormEditUpdatesYaml()
{
    ResourceEditor editor(new RouteForm);
    const auto parsed = config::parseManifests(test::readData(u"config/seed-httproute-v2.2.yaml"_s));
    QVERIFY(parsed.ok());
    editor.setResource(parsed->first());
    setCell(firstRule(editor.form())->matches(), 0, 0, u"/claude"_s);
    setCell(firstRule(editor.form())->matches(), 0, 1, u"Exact"_s);
    setCell(firstRule(editor.form())->backends(), 1, 0, u"claude"_s);

    const auto reparsed = config::parseManifests(editor.yamlView()->toPlainText().toUtf8());
    QVERIFY2(reparsed.ok(), qPrintable(errorOf(reparsed)));
    const auto *route = reparsed->first().as<config::HttpRoute>();
    QVERIFY(route);
    QCOMPARE(route->rules.first().matches.first().path.type, config::PathMatch::Type::Exact);
    QCOMPARE(route->rules.first().matches.first().path.value, u"/claude"_s);
    QCOMPARE(route->rules.first().backendRefs.size(), 2);
    QCOMPARE(route->rules.first().backendRefs.at(1).name, u"claude"_s);
    QCOMPARE(route->rules.first().backendRefs.at(1).kind, u"AgentgatewayBackend"_s);
}

void TestUiEditors::seedThroughFormsMatchesApply()
{
    QTemporaryDir formDir, cliDir;
    config::ConfigStore formStore(configWithGatewayOnly(formDir));
    config::ConfigStore cliStore(configWithGatewayOnly(cliDir));
    QVERIFY(formStore.load().ok());
    QVERIFY(cliStore.load().ok());
    QVERIFY(formStore.snapshot().backends.isEmpty());

    // The user: Backends > New, type the seed's values, Save.
    ResourceBrowser backends(&formStore, new BackendForm, u"Backends"_s);
    backends.newResource();
    QWidget *form = backends.editor()->form();
    retype(field<QLineEdit>(form, u"Name"_s), u"bedrock"_s);
    retype(field<QLineEdit>(form, u"Namespace"_s), u"agentgateway-system"_s);
    retype(field<QLineEdit>(form, u"Model"_s), u"amazon.titan-text-lite-v1"_s);
    retype(field<QLineEdit>(form, u"Region"_s), u"us-east-1"_s);
    field<QComboBox>(form, u"Auth"_s)->setCurrentIndex(BackendForm::SecretRef);
    retype(field<QLineEdit>(form, u"Secret name"_s), u"bedrock-secret"_s);
    QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));

    // Routes > New, the seed's route.
    ResourceBrowser routes(&formStore, new RouteForm, u"Routes"_s);
    routes.newResource();
    form = routes.editor()->form();
    retype(field<QLineEdit>(form, u"Name"_s), u"bedrock"_s);
    retype(field<QLineEdit>(form, u"Namespace"_s), u"agentgateway-system"_s);
    retype(field<QLineEdit>(form, u"Parent gateway"_s), u"agentgateway"_s);
    setCell(firstRule(form)->matches(), 0, 1, u"PathPrefix"_s);
    setCell(firstRule(form)->matches(), 0, 0, u"/bedrock"_s);
    setCell(firstRule(form)->backends(), 0, 0, u"bedrock"_s);
    QVERIFY2(routes.save(), qPrintable(routes.statusLabel()->text()));

    // `quarry apply -f` of the seed's manifests, through the same code the CLI uses.
    QList<config::Resource> seed;
    for (const QString &file : {u"config/seed-agentgatewaybackend-v2.2.yaml"_s, u"config/seed-httproute-v2.2.yaml"_s}) {
        const auto parsed = config::parseManifests(test::readData(file));
        QVERIFY2(parsed.ok(), qPrintable(errorOf(parsed)));
        seed += *parsed;
    }
    QVERIFY(cliStore.apply(seed).ok());

    const QByteArray viaForms = config::ManifestWriter::toYaml(config::ManifestWriter::resources(formStore.snapshot()));
    const QByteArray viaApply = config::ManifestWriter::toYaml(config::ManifestWriter::resources(cliStore.snapshot()));
    QCOMPARE(QString::fromUtf8(viaForms), QString::fromUtf8(viaApply));
    QVERIFY(viaForms.contains("kind: AgentgatewayBackend"));
    QVERIFY(viaForms.contains("value: /bedrock"));
    // And the file on disk is what the CLI would have written.
    QFile formFile(formStore.filePath()), cliFile(cliStore.filePath());
    QVERIFY(formFile.open(QIODevice::ReadOnly) && cliFile.open(QIODevice::ReadOnly));
    QCOMPARE(formFile.readAll(), cliFile.readAll());
}

void TestUiEditors::outsideChangeShowsUpAndKeepsEdits()
{
    QTemporaryDir dir;
    config::ConfigStore windowStore(dir.path());
    QVERIFY(windowStore.load().ok()); // defaults: the seed's backend
    ResourceBrowser backends(&windowStore, new BackendForm, u"Backends"_s);
    QCOMPARE(listTexts(backends.list()), QStringList{u"bedrock"_s});

    // An unsaved edit in the window...
    auto *model = field<QLineEdit>(backends.editor()->form(), u"Model"_s);
    retype(model, u"my-unsaved-model"_s);

    // ...while `quarry apply` in a terminal adds a backend (another ConfigStore, same directory).
    config::ConfigStore terminal(dir.path());
    QVERIFY(terminal.load().ok());
    QByteArray manifest = test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s);
    manifest.replace("name: bedrock", "name: from-terminal");
    const auto parsed = config::parseManifests(manifest);
    QVERIFY(parsed.ok());
    QVERIFY(terminal.apply(*parsed).ok());

    QTRY_VERIFY_WITH_TIMEOUT(listTexts(backends.list()).join(u' ').contains(u"from-terminal"_s), 5000);
    QCOMPARE(model->text(), u"my-unsaved-model"_s);
    QVERIFY(backends.editor()->isModified());
}

namespace {

// Two stored backends: the defaults' "bedrock" and a copy named "claude".
void storeTwoBackends(config::ConfigStore &store)
{
    QVERIFY(store.load().ok());
    QByteArray manifest = test::readData(u"config/seed-agentgatewaybackend-v2.2.yaml"_s);
    manifest.replace("name: bedrock", "name: claude");
    const auto parsed = config::parseManifests(manifest);
    QVERIFY(parsed.ok());
    QVERIFY(store.apply(*parsed).ok());
}

std::optional<config::AiBackend> storedBackend(const config::ConfigStore &store, const QString &name)
{
    for (const auto &backend : store.snapshot().backends) {
        if (backend.meta.name == name)
            return backend;
    }
    return std::nullopt;
}

} // namespace

void TestUiEditors::switchingDraftsKeepsFormAndYamlTogether()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    storeTwoBackends(store);
    if (QTest::currentTestFailed())
        return;
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    const QString bedrock = u"agentgateway-system/bedrock"_s, claude = u"agentgateway-system/claude"_s;
    QVERIFY(backends.select(bedrock));
    QWidget *form = backends.editor()->form();
    auto *region = field<QLineEdit>(form, u"Region"_s);
    auto *model = field<QLineEdit>(form, u"Model"_s);

    // bedrock: a region `quarry apply` refuses, typed in the form; then over to claude and back.
    retype(region, u"US_EAST_1"_s);
    QVERIFY(!backends.editor()->error().isEmpty());
    QVERIFY(backends.select(claude));
    QCOMPARE(region->text(), u"us-east-1"_s);
    retype(model, u"claude-draft-model"_s);
    QVERIFY(backends.select(bedrock));

    // The form shows the draft the YAML holds, and the error is about what the form shows.
    QCOMPARE(region->text(), u"US_EAST_1"_s);
    QVERIFY2(backends.editor()->yamlView()->toPlainText().contains(u"US_EAST_1"_s),
             qPrintable(backends.editor()->yamlView()->toPlainText()));
    QVERIFY(backends.editor()->isModified());
    QVERIFY(!backends.save());
    QCOMPARE(FieldError::messageOf(region), backends.editor()->error());
    QCOMPARE(region->text(), u"US_EAST_1"_s); // still what the message is about

    // Fixed in the form, saved: the store holds what the form shows.
    retype(region, u"eu-west-1"_s);
    QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));
    QCOMPARE(storedBackend(store, u"bedrock"_s)->provider->bedrock.region, u"eu-west-1"_s);
    QCOMPARE(region->text(), u"eu-west-1"_s);

    // claude's draft waited for it: form and YAML agree, and Save stores that.
    QVERIFY(backends.select(claude));
    QCOMPARE(model->text(), u"claude-draft-model"_s);
    QVERIFY(backends.editor()->yamlView()->toPlainText().contains(u"model: claude-draft-model"_s));
    QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));
    QCOMPARE(storedBackend(store, u"claude"_s)->provider->bedrock.model, u"claude-draft-model"_s);
    QCOMPARE(storedBackend(store, u"bedrock"_s)->provider->bedrock.region, u"eu-west-1"_s);
}

void TestUiEditors::newDraftSurvivesASwitch()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    storeTwoBackends(store);
    if (QTest::currentTestFailed())
        return;
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    backends.newResource();
    auto *name = field<QLineEdit>(backends.editor()->form(), u"Name"_s);
    retype(name, u"fresh"_s);
    QVERIFY(backends.select(u"agentgateway-system/claude"_s));
    QCOMPARE(name->text(), u"claude"_s);

    // Back to the unsaved one: the form and the YAML show it, and Save stores it, not claude.
    QVERIFY(listTexts(backends.list()).contains(u"(new, unsaved)"_s));
    QVERIFY(backends.select(QString()));
    QCOMPARE(name->text(), u"fresh"_s);
    QVERIFY(backends.editor()->yamlView()->toPlainText().contains(u"name: fresh"_s));
    QVERIFY2(backends.save(), qPrintable(backends.statusLabel()->text()));
    QVERIFY(storedBackend(store, u"fresh"_s).has_value());
    QCOMPARE(storedBackend(store, u"claude"_s)->provider->bedrock.model, u"amazon.titan-text-lite-v1"_s);
    QVERIFY(!listTexts(backends.list()).contains(u"(new, unsaved)"_s));
}

void TestUiEditors::danglingReferencesAreWarnedUnderTheForm()
{
    QTemporaryDir dir;
    config::ConfigStore store(dir.path());
    QVERIFY(store.load().ok()); // defaults: backend bedrock -> secret bedrock-secret, not in the catalogue
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    QLabel *warning = backends.editor()->warningLabel();
    QVERIFY(!warning->isHidden());
    QVERIFY2(warning->text().contains(u"secret agentgateway-system/bedrock-secret not found"_s), qPrintable(warning->text()));
    QVERIFY(backends.editor()->error().isEmpty()); // a warning, not an error: Save still works

    // Naming a secret the catalogue lists clears it, as soon as it is typed.
    QVERIFY(secrets::SecretCatalog(dir.path()).put({{u"agentgateway-system"_s, u"other"_s}, {u"Authorization"_s}, {}}).ok());
    retype(field<QLineEdit>(backends.editor()->form(), u"Secret name"_s), u"other"_s);
    QVERIFY2(warning->isHidden(), qPrintable(warning->text()));
    QVERIFY(backends.save());

    // A route to a backend that does not exist.
    ResourceBrowser routes(&store, new RouteForm, u"Routes"_s);
    QVERIFY(routes.editor()->warningLabel()->isHidden());
    setCell(firstRule(routes.editor()->form())->backends(), 1, 0, u"nowhere"_s);
    QVERIFY2(routes.editor()->warningLabel()->text().contains(u"backend agentgateway-system/nowhere not found"_s),
             qPrintable(routes.editor()->warningLabel()->text()));
    QVERIFY(!routes.editor()->warningLabel()->isHidden());
    QVERIFY(routes.save()); // kubectl applies it too; the warning stays
    QVERIFY(!routes.editor()->warningLabel()->isHidden());
}

// Save disables itself once saved; the keyboard must not fall to the next button, New.
void TestUiEditors::clickingSaveLeavesTheKeyboardOnTheList()
{
    QTemporaryDir dir;
    config::ConfigStore store(configWithGatewayOnly(dir));
    QVERIFY(store.load().ok());
    storeTwoBackends(store);
    ResourceBrowser backends(&store, new BackendForm, u"Backends"_s);
    backends.show();
    QVERIFY(QTest::qWaitForWindowActive(&backends));
    backends.list()->setCurrentRow(0);
    retype(field<QLineEdit>(backends.editor()->form(), u"Region"_s), u"eu-west-1"_s);
    QPushButton *save = nullptr;
    for (auto *button : backends.findChildren<QPushButton *>()) {
        if (button->text() == u"&Save"_s)
            save = button;
    }
    QVERIFY(save && save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton); // a click gives the button the keyboard, then saves
    QTRY_VERIFY(!save->isEnabled());
    QCOMPARE(QApplication::focusWidget(), backends.list());
}

QTEST_MAIN(TestUiEditors)
#include "tst_ui_editors.moc"
