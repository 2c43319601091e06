// The AgentgatewayBackend form, in three tabs: the provider (one Bedrock provider or priority
// groups of them), auth and connection (secret or AWS profile, timeouts, TLS), and AI policies.
#pragma once

#include "editors/ResourceForm.h"

class QLabel;
class QFormLayout;
class QTabWidget;

namespace quarry::ui {

class BackendAiFields;
class BackendTlsFields;
class Picker;
class ProviderGroupsFields;

class BackendForm : public ResourceForm
{
    Q_OBJECT
public:
    explicit BackendForm(QWidget *parent = nullptr);

    config::ResourceKind kind() const override { return config::ResourceKind::Backend; }
    config::Resource resource() const override;
    void setResource(const config::Resource &resource) override;
    config::Resource blank() const override;
    QSize sizeHint() const override;
    void setChoices(const FormChoices &choices) override;

    // The auth choices, in the combo's order.
    enum AuthChoice { DefaultChain, SecretRef, AwsSecretRef, InlineKey };
    // The provider choices, in the combo's order.
    enum ProviderChoice { SingleProvider, ProviderGroups };
    enum Tab { ProviderTab, AuthTab, AiTab };

    QTabWidget *tabs() const { return m_tabs; }
    // Model IDs the model picker offers (free text is always allowed).
    void setModelChoices(const QStringList &models);
    void setModelSource(const QString &source); // where the list came from, as the picker's tooltip
    Picker *modelPicker() const { return m_model; }

    static inline const QString kAwsProfileAnnotation = QStringLiteral("quarry.dev/aws-profile");

private:
    QWidget *buildProviderTab();
    QWidget *buildAuthTab();
    QWidget *buildAiTab();
    void updateEnabled();
    void onProviderChoice(int choice);
    config::AiProvider providerFromFields(config::AiProvider provider) const;
    config::BackendAuth authFromFields() const;
    config::BackendPolicies policiesFromFields() const;
    void fillPolicies(const config::BackendPolicies &policies);

    config::AiBackend m_base; // the resource last loaded: keeps fields the form does not show
    QTabWidget *m_tabs = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_namespace = nullptr;
    QComboBox *m_providerChoice = nullptr;
    QFormLayout *m_providerLayout = nullptr; // the Provider tab: one provider's rows or the groups'
    Picker *m_model = nullptr;
    QLineEdit *m_region = nullptr;
    QLineEdit *m_guardrailId = nullptr;
    QLineEdit *m_guardrailVersion = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_path = nullptr;
    ProviderGroupsFields *m_groups = nullptr;
    QComboBox *m_auth = nullptr;
    Picker *m_secret = nullptr;
    Picker *m_awsProfile = nullptr;
    QLineEdit *m_requestTimeout = nullptr;
    QLineEdit *m_connectTimeout = nullptr;
    QComboBox *m_httpVersion = nullptr;
    BackendTlsFields *m_tls = nullptr;
    BackendAiFields *m_ai = nullptr;
};

} // namespace quarry::ui
