"""The models share one botocore client: one service model parsed per container, not five."""

from chalicelib import dynamodb
from chalicelib.config import get_settings
from chalicelib.models import ArticleModel, CategoryModel, CounterModel, EditorModel, PhotoModel

MODELS = (ArticleModel, CategoryModel, CounterModel, PhotoModel, EditorModel)


def test_every_table_goes_through_one_client():
    clients = {id(model._get_connection().connection.client) for model in MODELS}
    assert clients == {id(dynamodb.client())}  # the raw requests' (an article view's, the counting function's)


def test_each_table_keeps_its_own_name():
    settings = get_settings()
    names = {model.__name__: model._get_connection().table_name for model in MODELS}
    assert names == {
        "ArticleModel": settings.tables["articles"],
        "CategoryModel": settings.tables["categories"],
        "CounterModel": settings.tables["counters"],
        "PhotoModel": settings.tables["photos"],
        "EditorModel": settings.tables["editors"],
    }
    assert len(set(names.values())) == 5  # the stage names five different tables
