// The AgentgatewayBackend form.
#include "editors/BackendForm.h"

#include "config/Duration.h"
#include "editors/BackendAiFields.h"
#include "editors/BackendTlsFields.h"
#include "editors/KeyValueTable.h"
#include "editors/Picker.h"
#include "editors/ProviderGroupsFields.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QScrollArea>
#include <QTabBar>
#include <QTabWidget>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace quarry::ui {

namespace {
const QString kBedrock = u"spec.ai.provider.bedrock"_s;
const QString kProvider = u"spec.ai.provider"_s;
const QStringList kHttpVersions{QString(), u"HTTP1"_s, u"HTTP2"_s}; // first: not set

QFormLayout *tabLayout(QWidget *page)
{
    auto *layout = new QFormLayout(page);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    return layout;
}

// A tab's page scrolls rather than being cut off in a short window.
QScrollArea *scrollable(QWidget *page)
{
    auto *area = new QScrollArea;
    area->setWidget(page);
    area->setWidgetResizable(true);
    area->setFrameShape(QFrame::NoFrame);
    area->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff); // fields grow and shrink with the width
    return area;
}

QString durationText(const std::optional<qint64> &ms)
{
    return ms ? formatDuration(*ms) : QString();
}

// A duration field's value: empty = not set; a text that is no duration (yet) keeps `old`, so a
// half-typed "1m3" never reaches the YAML as something else.
std::optional<qint64> durationFrom(const QLineEdit *field, const std::optional<qint64> &old)
{
    const QString text = field->text().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    const auto ms = parseDuration(text);
    return ms ? ms : old;
}

QString durationProblem(const QLineEdit *field)
{
    const QString text = field->text().trimmed();
    return text.isEmpty() || parseDuration(text) ? QString() : u"Not a duration: use e.g. 30s, 1m30s or 500ms"_s;
}
} // namespace

BackendForm::BackendForm(QWidget *parent)
    : ResourceForm(parent)
    , m_tabs(new QTabWidget(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_tabs);
    m_tabs->addTab(scrollable(buildProviderTab()), u"Provider"_s);
    m_tabs->addTab(scrollable(buildAuthTab()), u"Auth && connection"_s);
    m_tabs->addTab(scrollable(buildAiTab()), u"AI policies"_s);
    setResource(blank());
}

QWidget *BackendForm::buildProviderTab()
{
    auto *page = new QWidget(m_tabs);
    QFormLayout *layout = tabLayout(page);
    m_name = addLine(layout, u"&Name"_s, u"metadata.name"_s, u"bedrock"_s);
    m_namespace = addLine(layout, u"Names&pace"_s, u"metadata.namespace"_s, kDefaultNamespace);
    m_providerChoice = addCombo(layout, u"Provi&ders"_s, {},
                                {u"One Bedrock provider"_s, u"Priority groups (failover)"_s});
    // One provider's fields or the groups table, whichever the backend has: rows of this one form
    // (shown or hidden), so every label lines up in one column.
    m_providerLayout = layout;
    m_model = addPicker(layout, u"&Model"_s, kBedrock + u".model"_s, u"empty: the request's model"_s);
    m_region = addLine(layout, u"&Region"_s, kBedrock + u".region"_s, u"us-east-1"_s);
    m_guardrailId = addLine(layout, u"&Guardrail ID"_s, kBedrock + u".guardrail.identifier"_s, u"optional"_s);
    m_guardrailVersion = addLine(layout, u"Guardrail &version"_s, kBedrock + u".guardrail.version"_s, u"e.g. 1 or DRAFT"_s);
    registerField(kBedrock + u".guardrail"_s, m_guardrailId);
    m_host = addLine(layout, u"&Host override"_s, kProvider + u".host"_s, u"bedrock-runtime.<region>.amazonaws.com"_s);
    m_port = addPort(layout, u"P&ort override"_s, kProvider + u".port"_s);
    m_path = addLine(layout, u"Pa&th override"_s, kProvider + u".path"_s, u"optional"_s);
    m_groups = new ProviderGroupsFields(layout, page);
    registerField(u"spec.ai.groups"_s, m_groups->table());
    connect(m_groups, &ProviderGroupsFields::edited, this, &BackendForm::notifyEdited);
    // The combo's own edited() fires after this has converted the resource.
    disconnect(m_providerChoice, &QComboBox::currentIndexChanged, this, &BackendForm::notifyEdited);
    connect(m_providerChoice, &QComboBox::activated, this, &BackendForm::onProviderChoice);
    return page;
}

QWidget *BackendForm::buildAuthTab()
{
    auto *page = new QWidget(m_tabs);
    QFormLayout *layout = tabLayout(page);
    m_auth = addCombo(layout, u"&Auth"_s, {},
                      {u"Default AWS credential chain"_s, u"Secret reference (API key or AWS keys)"_s,
                       u"AWS secret reference"_s, u"Inline key (kept from YAML)"_s});
    m_secret = addPicker(layout, u"&Secret name"_s, u"spec.policies.auth"_s, u"bedrock-secret"_s);
    m_secret->setNewEntry(u"New secret\u2026"_s);
    connect(m_secret, &Picker::newRequested, this, [this](const QString &typed) {
        const QString ns = m_namespace->text().trimmed();
        Q_EMIT newSecretRequested(ns.isEmpty() ? kDefaultNamespace : ns, typed.isEmpty() ? m_name->text().trimmed() : typed);
    });
    m_awsProfile = addPicker(layout, u"AWS pro&file"_s, {}, u"AWS_PROFILE or default"_s);
    m_awsProfile->setToolTip(u"The ~/.aws/config profile the default credential chain starts from "
                             u"(annotation quarry.dev/aws-profile)"_s);
    registerField(u"spec.policies"_s, m_auth);
    m_requestTimeout = addLine(layout, u"Request &timeout"_s, u"spec.policies.http.requestTimeout"_s, u"e.g. 2m (none)"_s);
    m_connectTimeout = addLine(layout, u"&Connect timeout"_s, u"spec.policies.tcp.connectTimeout"_s, u"e.g. 5s (default)"_s);
    for (QLineEdit *field : {m_requestTimeout, m_connectTimeout}) {
        connect(field, &QLineEdit::textChanged, this, [this, field] { setInputProblem(field, durationProblem(field)); });
    }
    m_httpVersion = addCombo(layout, u"HTTP &version"_s, u"spec.policies.http.version"_s,
                             {u"Default"_s, u"HTTP/1.1 (HTTP1)"_s, u"HTTP/2 (HTTP2)"_s});
    m_tls = new BackendTlsFields(layout, page);
    registerField(u"spec.policies.tls"_s, m_tls->caField());
    registerField(u"spec.policies.tls.sni"_s, m_tls->sniField());
    registerField(u"spec.policies.tls.insecureSkipVerify"_s, m_tls->skipVerifyField());
    connect(m_tls, &BackendTlsFields::edited, this, &BackendForm::notifyEdited);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &BackendForm::updateEnabled);
    return page;
}

QWidget *BackendForm::buildAiTab()
{
    auto *page = new QWidget(m_tabs);
    QFormLayout *layout = tabLayout(page);
    m_ai = new BackendAiFields(layout, page);
    registerField(u"spec.policies.ai"_s, m_ai->defaults());
    registerField(u"spec.policies.ai.overrides"_s, m_ai->overrides());
    registerField(u"spec.policies.ai.modelAliases"_s, m_ai->aliases());
    registerField(u"spec.policies.ai.promptGuard"_s, m_ai->promptGuardField());
    connect(m_ai, &BackendAiFields::edited, this, &BackendForm::notifyEdited);
    connect(m_ai, &BackendAiFields::inputProblem, this, &BackendForm::setInputProblem);
    return page;
}

void BackendForm::setChoices(const FormChoices &choices)
{
    ResourceForm::setChoices(choices);
    const QString ns = m_namespace->text().trimmed();
    m_secret->setChoices(choices.secretsIn(ns.isEmpty() ? kDefaultNamespace : ns));
    m_awsProfile->setChoices(choices.awsProfiles);
    m_tls->setConfigMaps(choices.configMaps(ns.isEmpty() ? kDefaultNamespace : ns));
}

void BackendForm::setModelChoices(const QStringList &models)
{
    m_model->setChoices(models);
}

void BackendForm::setModelSource(const QString &source)
{
    m_model->setToolTip(source);
}

void BackendForm::updateEnabled()
{
    const bool single = m_base.provider.has_value();
    for (QWidget *field : std::initializer_list<QWidget *>{m_model, m_region, m_guardrailId, m_guardrailVersion,
                                                           m_host, m_port, m_path})
        m_providerLayout->setRowVisible(field, single);
    m_providerLayout->setRowVisible(m_groups->table(), !single);

    const int choice = m_auth->currentIndex();
    m_secret->setEnabled(choice == SecretRef || choice == AwsSecretRef);
    // The profile starts the default chain; a secret reference does not use it.
    m_awsProfile->setEnabled(choice == DefaultChain);
    // An inline key can only come from YAML: the form never asks for a credential in clear.
    if (auto *model = qobject_cast<QStandardItemModel *>(m_auth->model()))
        model->item(InlineKey)->setEnabled(!m_base.policies.auth.inlineKey.isEmpty());
}

// Switching between one provider and groups keeps the provider: it becomes the only member of
// group 1, or the first provider of group 1 becomes the one provider.
void BackendForm::onProviderChoice(int choice)
{
    const Resource current = resource();
    AiBackend backend = *current.as<AiBackend>();
    if (choice == ProviderGroups && backend.provider) {
        AiProvider provider = *backend.provider;
        provider.name = u"primary"_s;
        backend.groups = {AiProviderGroup{{provider}}};
        backend.provider.reset();
    } else if (choice == SingleProvider && !backend.provider) {
        AiProvider provider = backend.groups.value(0).providers.value(0);
        provider.name.clear();
        provider.policies.reset(); // per-provider policies exist in groups only
        backend.provider = provider;
        backend.groups.clear();
    } else {
        return;
    }
    setResource(Resource{backend, {}});
    notifyEdited();
}

// As tall as the tallest tab's fields, so the form is not squeezed into a scrolling strip while
// the window has room; in a short window the tabs scroll.
QSize BackendForm::sizeHint() const
{
    int height = 0;
    for (int i = 0; i < m_tabs->count(); ++i) {
        if (const auto *area = qobject_cast<QScrollArea *>(m_tabs->widget(i)))
            height = std::max(height, area->widget()->sizeHint().height());
    }
    return {ResourceForm::sizeHint().width(), height + m_tabs->tabBar()->sizeHint().height() + 16};
}

Resource BackendForm::blank() const
{
    AiBackend backend;
    backend.meta.name = u"new-backend"_s;
    backend.provider = AiProvider{};
    backend.policies.auth = {BackendAuth::Kind::SecretRef, u"bedrock-secret"_s, {}};
    return Resource{backend, {}};
}

void BackendForm::setResource(const Resource &resource)
{
    const auto *backend = resource.as<AiBackend>();
    if (!backend)
        return;
    m_base = *backend;
    loading([&] {
        m_name->setText(backend->meta.name);
        m_namespace->setText(backend->meta.ns);
        m_providerChoice->setCurrentIndex(backend->provider ? SingleProvider : ProviderGroups);
        const AiProvider provider = backend->provider.value_or(AiProvider{});
        m_model->setText(provider.bedrock.model);
        m_region->setText(provider.bedrock.region);
        m_guardrailId->setText(provider.bedrock.guardrail ? provider.bedrock.guardrail->identifier : QString());
        m_guardrailVersion->setText(provider.bedrock.guardrail ? provider.bedrock.guardrail->version : QString());
        m_host->setText(provider.host);
        m_port->setValue(provider.port.value_or(0));
        m_path->setText(provider.path);
        m_groups->setGroups(backend->groups);
        m_auth->setCurrentIndex(static_cast<int>(backend->policies.auth.kind));
        m_secret->setText(backend->policies.auth.secretName);
        m_awsProfile->setText(backend->meta.annotations.value(kAwsProfileAnnotation));
        fillPolicies(backend->policies);
    });
    updateEnabled();
    setChoices(choices()); // secrets and ConfigMaps of this backend's namespace
}

void BackendForm::fillPolicies(const BackendPolicies &policies)
{
    m_requestTimeout->setText(durationText(policies.requestTimeoutMs));
    m_connectTimeout->setText(durationText(policies.connectTimeoutMs));
    m_httpVersion->setCurrentIndex(std::max(0, int(kHttpVersions.indexOf(policies.httpVersion))));
    m_tls->setTls(policies.tls);
    m_ai->setAi(policies.ai);
}

AiProvider BackendForm::providerFromFields(AiProvider provider) const
{
    provider.bedrock.model = m_model->text();
    provider.bedrock.region = m_region->text().trimmed();
    const QString guardrailId = m_guardrailId->text().trimmed();
    const QString guardrailVersion = m_guardrailVersion->text().trimmed();
    if (guardrailId.isEmpty() && guardrailVersion.isEmpty())
        provider.bedrock.guardrail.reset();
    else
        provider.bedrock.guardrail = Guardrail{guardrailId, guardrailVersion};
    provider.host = m_host->text().trimmed();
    provider.port = m_port->value() > 0 ? std::optional<int>(m_port->value()) : std::nullopt;
    provider.path = m_path->text().trimmed();
    return provider;
}

BackendAuth BackendForm::authFromFields() const
{
    BackendAuth auth = m_base.policies.auth;
    auth.kind = static_cast<BackendAuth::Kind>(m_auth->currentIndex());
    if (auth.kind == BackendAuth::Kind::SecretRef || auth.kind == BackendAuth::Kind::AwsSecretRef)
        auth.secretName = m_secret->text();
    else
        auth.secretName.clear();
    if (auth.kind != BackendAuth::Kind::InlineKey)
        auth.inlineKey.clear();
    return auth;
}

BackendPolicies BackendForm::policiesFromFields() const
{
    BackendPolicies policies = m_base.policies;
    policies.auth = authFromFields();
    policies.requestTimeoutMs = durationFrom(m_requestTimeout, m_base.policies.requestTimeoutMs);
    policies.connectTimeoutMs = durationFrom(m_connectTimeout, m_base.policies.connectTimeoutMs);
    policies.httpVersion = kHttpVersions.value(m_httpVersion->currentIndex());
    policies.tls = m_tls->tls();
    policies.ai = m_ai->ai();
    return policies;
}

Resource BackendForm::resource() const
{
    AiBackend backend = m_base;
    backend.meta.name = m_name->text().trimmed();
    const QString ns = m_namespace->text().trimmed();
    backend.meta.ns = ns.isEmpty() ? kDefaultNamespace : ns;
    if (backend.provider)
        backend.provider = providerFromFields(*backend.provider);
    else
        backend.groups = m_groups->groups();
    backend.policies = policiesFromFields();
    const QString profile = m_awsProfile->text();
    if (profile.isEmpty())
        backend.meta.annotations.remove(kAwsProfileAnnotation);
    else
        backend.meta.annotations.insert(kAwsProfileAnnotation, profile);
    return Resource{backend, {}};
}

} // namespace quarry::ui
