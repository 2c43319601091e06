// The AgentgatewayBackend form.
#include "editors/BackendForm.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QStandardItemModel>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace quarry::ui {

namespace {
const QString kBedrock = u"spec.ai.provider.bedrock"_s;
const QString kProvider = u"spec.ai.provider"_s;
} // namespace

BackendForm::BackendForm(QWidget *parent)
    : ResourceForm(parent)
{
    auto *layout = new QFormLayout(this);
    layout->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    layout->setContentsMargins(0, 0, 0, 0);
    buildMetadata(layout);
    buildProvider(layout);
    buildAuth(layout);
    setResource(blank());
}

void BackendForm::buildMetadata(QFormLayout *layout)
{
    m_name = addLine(layout, u"&Name"_s, u"metadata.name"_s, u"bedrock"_s);
    m_namespace = addLine(layout, u"Names&pace"_s, u"metadata.namespace"_s, kDefaultNamespace);
}

void BackendForm::buildProvider(QFormLayout *layout)
{
    m_groupsNote = new QLabel(u"This backend uses provider groups (failover); edit them in the YAML."_s, this);
    m_groupsNote->setWordWrap(true);
    layout->addRow(m_groupsNote);
    m_model = addLine(layout, u"&Model"_s, kBedrock + u".model"_s, u"empty: the request's model"_s);
    m_region = addLine(layout, u"&Region"_s, kBedrock + u".region"_s, u"us-east-1"_s);
    m_guardrailId = addLine(layout, u"&Guardrail ID"_s, kBedrock + u".guardrail.identifier"_s, u"optional"_s);
    m_guardrailVersion = addLine(layout, u"Guardrail &version"_s, kBedrock + u".guardrail.version"_s, u"e.g. 1 or DRAFT"_s);
    registerField(kBedrock + u".guardrail"_s, m_guardrailId);
    m_host = addLine(layout, u"&Host override"_s, kProvider + u".host"_s, u"bedrock-runtime.<region>.amazonaws.com"_s);
    m_port = addPort(layout, u"P&ort override"_s, kProvider + u".port"_s);
    m_path = addLine(layout, u"Pa&th override"_s, kProvider + u".path"_s, u"optional"_s);
}

void BackendForm::buildAuth(QFormLayout *layout)
{
    m_auth = addCombo(layout, u"&Auth"_s, {},
                      {u"Default AWS credential chain"_s, u"Secret reference (API key or AWS keys)"_s,
                       u"AWS secret reference"_s, u"Inline key (kept from YAML)"_s});
    m_secret = addLine(layout, u"&Secret name"_s, u"spec.policies.auth"_s, u"bedrock-secret"_s);
    registerField(u"spec.policies"_s, m_auth);
    registerField(u"spec.policies.auth"_s, m_secret);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &BackendForm::updateAuthEnabled);
}

void BackendForm::updateAuthEnabled()
{
    const int choice = m_auth->currentIndex();
    m_secret->setEnabled(choice == SecretRef || choice == AwsSecretRef);
    // An inline key can only come from YAML: the form never asks for a credential in clear.
    if (auto *model = qobject_cast<QStandardItemModel *>(m_auth->model()))
        model->item(InlineKey)->setEnabled(!m_base.policies.auth.inlineKey.isEmpty());
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
        const AiProvider provider = backend->provider.value_or(AiProvider{});
        const QWidgetList providerFields{m_model, m_region, m_guardrailId, m_guardrailVersion, m_host, m_port, m_path};
        for (QWidget *field : providerFields)
            field->setEnabled(backend->provider.has_value());
        m_groupsNote->setVisible(!backend->provider.has_value());
        m_model->setText(provider.bedrock.model);
        m_region->setText(provider.bedrock.region);
        m_guardrailId->setText(provider.bedrock.guardrail ? provider.bedrock.guardrail->identifier : QString());
        m_guardrailVersion->setText(provider.bedrock.guardrail ? provider.bedrock.guardrail->version : QString());
        m_host->setText(provider.host);
        m_port->setValue(provider.port.value_or(0));
        m_path->setText(provider.path);
        m_auth->setCurrentIndex(static_cast<int>(backend->policies.auth.kind));
        m_secret->setText(backend->policies.auth.secretName);
    });
    updateAuthEnabled();
}

AiProvider BackendForm::providerFromFields(AiProvider provider) const
{
    provider.bedrock.model = m_model->text().trimmed();
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
        auth.secretName = m_secret->text().trimmed();
    else
        auth.secretName.clear();
    if (auth.kind != BackendAuth::Kind::InlineKey)
        auth.inlineKey.clear();
    return auth;
}

Resource BackendForm::resource() const
{
    AiBackend backend = m_base;
    backend.meta.name = m_name->text().trimmed();
    const QString ns = m_namespace->text().trimmed();
    backend.meta.ns = ns.isEmpty() ? kDefaultNamespace : ns;
    if (backend.provider)
        backend.provider = providerFromFields(*backend.provider);
    backend.policies.auth = authFromFields();
    return Resource{backend, {}};
}

} // namespace quarry::ui
