// spec.ai.groups on the Backends form.
#include "editors/ProviderGroupsFields.h"

#include "editors/KeyValueTable.h"

#include <QFormLayout>

#include <map>

using namespace Qt::StringLiterals;
using namespace quarry::config;

namespace quarry::ui {

namespace {
enum Column { Name, Group, Model, Region };
}

ProviderGroupsFields::ProviderGroupsFields(QFormLayout *layout, QWidget *parent)
    : QObject(parent)
    , m_table(new KeyValueTable(u"Provider groups"_s, {u"Provider"_s, u"Group"_s, u"Model"_s, u"Region"_s}, parent))
{
    m_table->setToolTip(u"Group 1 is tried first; group 2 only when every provider in group 1 fails"_s);
    m_table->setNarrowColumn(Group);
    layout->addRow(u"&Groups"_s, m_table);
    connect(m_table, &KeyValueTable::edited, this, &ProviderGroupsFields::edited);
}

void ProviderGroupsFields::setGroups(const QList<AiProviderGroup> &groups)
{
    m_base.clear();
    QList<KeyValueTable::Row> rows;
    for (int g = 0; g < groups.size(); ++g) {
        for (const AiProvider &provider : groups.at(g).providers) {
            m_base.append(provider);
            rows.append({provider.name, QString::number(g + 1), provider.bedrock.model, provider.bedrock.region});
        }
    }
    m_table->setRows(rows);
}

QList<AiProviderGroup> ProviderGroupsFields::groups() const
{
    std::map<int, AiProviderGroup> byPriority; // ordered: group 1 first
    for (const auto &row : m_table->rows()) {
        const QString &name = row.at(Name);
        auto base = std::find_if(m_base.cbegin(), m_base.cend(), [&](const AiProvider &p) { return p.name == name; });
        AiProvider provider = base != m_base.cend() ? *base : AiProvider{};
        provider.name = name;
        provider.bedrock.model = row.at(Model);
        provider.bedrock.region = row.at(Region).isEmpty() ? BedrockProvider{}.region : row.at(Region);
        bool ok = false;
        const int priority = row.at(Group).toInt(&ok);
        byPriority[ok && priority > 0 ? priority : 1].providers.append(provider);
    }
    QList<AiProviderGroup> groups;
    for (const auto &[priority, group] : byPriority)
        groups.append(group);
    return groups;
}

} // namespace quarry::ui
