// A backend's provider groups (spec.ai.groups) as one table: each row a provider with its name,
// priority group, model and region. Group 1 is tried first; the next group only when every
// provider of the one before has failed. Fields a row does not show (guardrail, host, policies)
// stay with the provider of that name.
#pragma once

#include "config/Resources.h"

#include <QObject>

class QFormLayout;
class QWidget;

namespace quarry::ui {

class KeyValueTable;

class ProviderGroupsFields : public QObject
{
    Q_OBJECT
public:
    ProviderGroupsFields(QFormLayout *layout, QWidget *parent);

    void setGroups(const QList<config::AiProviderGroup> &groups);
    QList<config::AiProviderGroup> groups() const;
    KeyValueTable *table() const { return m_table; }

Q_SIGNALS:
    void edited();

private:
    QList<config::AiProvider> m_base; // by name: what each row's provider had besides its cells
    KeyValueTable *m_table;
};

} // namespace quarry::ui
