// The AgentgatewayBackend form: metadata, the Bedrock provider (model, region, guardrail,
// host/port/path override) and auth (secret, AWS secret or the default credential chain).
#pragma once

#include "editors/ResourceForm.h"

class QLabel;

namespace quarry::ui {

class BackendForm : public ResourceForm
{
    Q_OBJECT
public:
    explicit BackendForm(QWidget *parent = nullptr);

    config::ResourceKind kind() const override { return config::ResourceKind::Backend; }
    config::Resource resource() const override;
    void setResource(const config::Resource &resource) override;
    config::Resource blank() const override;

    // The auth choices, in the combo's order.
    enum AuthChoice { DefaultChain, SecretRef, AwsSecretRef, InlineKey };

private:
    void buildMetadata(QFormLayout *layout);
    void buildProvider(QFormLayout *layout);
    void buildAuth(QFormLayout *layout);
    void updateAuthEnabled();
    config::AiProvider providerFromFields(config::AiProvider provider) const;
    config::BackendAuth authFromFields() const;

    config::AiBackend m_base; // the resource last loaded: keeps fields the form does not show
    QLineEdit *m_name = nullptr;
    QLineEdit *m_namespace = nullptr;
    QLineEdit *m_model = nullptr;
    QLineEdit *m_region = nullptr;
    QLineEdit *m_guardrailId = nullptr;
    QLineEdit *m_guardrailVersion = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_path = nullptr;
    QComboBox *m_auth = nullptr;
    QLineEdit *m_secret = nullptr;
    QLabel *m_groupsNote = nullptr;
};

} // namespace quarry::ui
