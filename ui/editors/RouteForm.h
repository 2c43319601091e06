// The HTTPRoute form: metadata, parent gateway, and the first rule's path match and backend refs
// (further rules, headers and filters are kept and edited in the YAML).
#pragma once

#include "editors/ResourceForm.h"

class QLabel;

namespace quarry::ui {

class RouteForm : public ResourceForm
{
    Q_OBJECT
public:
    explicit RouteForm(QWidget *parent = nullptr);

    config::ResourceKind kind() const override { return config::ResourceKind::HttpRoute; }
    config::Resource resource() const override;
    void setResource(const config::Resource &resource) override;
    config::Resource blank() const override;

private:
    config::RouteRule ruleFromFields(config::RouteRule rule, const QString &ns) const;
    QList<config::BackendRef> refsFromFields(const QList<config::BackendRef> &old, const QString &ns) const;

    config::HttpRoute m_base;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_namespace = nullptr;
    QLineEdit *m_parent = nullptr;
    QComboBox *m_matchType = nullptr;
    QLineEdit *m_pathValue = nullptr;
    QLineEdit *m_backends = nullptr;
    QLabel *m_moreRules = nullptr;
};

} // namespace quarry::ui
