// The HTTPRoute form: metadata, parent gateway, hostnames, and every rule in its own tab (matches,
// filters, weighted backend refs). Warns when another route takes a match's requests (Gateway API
// precedence, as the gateway's Router decides it).
#pragma once

#include "editors/ResourceForm.h"

class QPushButton;
class QTabWidget;

namespace quarry::ui {

class RouteRuleFields;

class RouteForm : public ResourceForm
{
    Q_OBJECT
public:
    explicit RouteForm(QWidget *parent = nullptr);

    config::ResourceKind kind() const override { return config::ResourceKind::HttpRoute; }
    config::Resource resource() const override;
    void setResource(const config::Resource &resource) override;
    config::Resource blank() const override;
    QSize sizeHint() const override;
    void setChoices(const FormChoices &choices) override;
    QStringList warningsFor(const config::Resource &resource) const override;

    QTabWidget *rules() const { return m_rules; }
    RouteRuleFields *rule(int index) const;

public Q_SLOTS:
    void addRule();
    void removeCurrentRule();

private:
    RouteRuleFields *appendRuleTab(const config::RouteRule &rule, const QString &ns);
    QString routeNamespace() const;

    config::HttpRoute m_base;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_namespace = nullptr;
    QLineEdit *m_parent = nullptr;
    QLineEdit *m_hostnames = nullptr;
    QTabWidget *m_rules = nullptr;
    QPushButton *m_addRule = nullptr;
    QPushButton *m_removeRule = nullptr;
};

} // namespace quarry::ui
