"""The models share one botocore client: one service model parsed per container, not five."""

from chalicelib.models import ArticleModel, CategoryModel, CounterModel, EditorModel, PhotoModel


def test_every_table_goes_through_one_client():
    clients = {
        id(model._get_connection().connection.client)
        for model in (ArticleModel, CategoryModel, CounterModel, PhotoModel, EditorModel)
    }
    assert len(clients) == 1


def test_each_table_keeps_its_own_name():
    names = {
        model._get_connection().table_name
        for model in (ArticleModel, CategoryModel, CounterModel, PhotoModel, EditorModel)
    }
    assert len(names) == 5
