// One HTTPRoute rule on the Routes form: its matches (path type and value, method, headers), its
// filters (header changes and rewrites, one row each) and its weighted backend references.
// Tables the user did not change give back exactly what the rule had, so a form edit elsewhere
// never reshapes the YAML.
#pragma once

#include "config/Resources.h"

#include <QWidget>

class QLineEdit;

namespace quarry::ui {

class KeyValueTable;

class RouteRuleFields : public QWidget
{
    Q_OBJECT
public:
    explicit RouteRuleFields(QWidget *parent = nullptr);

    void setRule(const config::RouteRule &rule, const QString &routeNamespace);
    // The rule as shown; new backend refs point at AgentgatewayBackends in `routeNamespace`
    // unless written "namespace/name".
    config::RouteRule rule(const QString &routeNamespace) const;
    // A reference the form adds: to the AgentgatewayBackend `name` in `ns`, as the seed's route has.
    static config::BackendRef newBackendRef(const QString &name, const QString &ns);
    void setBackendChoices(const QStringList &backends);

    KeyValueTable *matches() const { return m_matches; }
    KeyValueTable *filters() const { return m_filters; }
    KeyValueTable *backends() const { return m_backends; }

Q_SIGNALS:
    void edited();

private:
    QList<config::RouteMatch> matchesFromTable() const;
    QList<config::RouteFilter> filtersFromTable() const;
    QList<config::BackendRef> refsFromTable(const QString &routeNamespace) const;

    config::RouteRule m_base;
    QString m_baseNamespace;
    KeyValueTable *m_matches;
    KeyValueTable *m_filters;
    KeyValueTable *m_backends;
    QLineEdit *m_timeout;
};

} // namespace quarry::ui
